import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../../admin/auth/password';

describe('console passwords', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash, so equal passwords do not look equal', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
  });

  it('treats visually equal Unicode forms as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 1234');
    await expect(verifyPassword('cafe\u0301 au lait 1234', stored)).resolves.toBe(true);
  });

  it('never matches a malformed or absurdly expensive stored hash', async () => {
    await expect(verifyPassword('anything at all', 'plain-text')).resolves.toBe(false);
    await expect(verifyPassword('anything at all', 'scrypt$1073741824$8$1$AAAA$AAAA')).resolves.toBe(false);
  });

  it('refuses passwords shorter than the minimum', async () => {
    await expect(hashPassword('x'.repeat(MIN_PASSWORD_LENGTH - 1))).rejects.toThrow(/at least/);
  });
});
