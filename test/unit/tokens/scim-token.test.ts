import { hashToken, issueToken, tokenMatches, tokenPrefix } from '../../../src/tokens/scim-token';

describe('SCIM tokens', () => {
  it('issues distinct tokens whose prefix and hash match', () => {
    const a = issueToken();
    const b = issueToken();
    expect(a.token).not.toEqual(b.token);
    expect(tokenPrefix(a.token)).toBe(a.prefix);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).not.toContain(a.token.slice(18));
  });

  it('carries at least 256 bits of secret', () => {
    const secret = issueToken().token.split('_').slice(2).join('_');
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('accepts only the exact token', () => {
    const { token, hash } = issueToken();
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token.slice(0, -1)}A`, hash)).toBe(token.endsWith('A'));
    expect(tokenMatches(issueToken().token, hash)).toBe(false);
  });

  it('rejects malformed tokens before any lookup', () => {
    expect(tokenPrefix('')).toBeUndefined();
    expect(tokenPrefix('Bearer x')).toBeUndefined();
    expect(tokenPrefix('scim_zzzzzzzzzzzz_' + 'a'.repeat(43))).toBeUndefined();
  });
});
