import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { LOCKOUT_POLICY } from '../../../admin/auth/lockout';
import { LOGIN_FAILURES_COLLECTION, LoginFailures } from '../../../admin/auth/login-failures';
import type { ConsoleResponse } from './support/console-client';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';

const KNOWN = { email: 'it@acme.example', password: 'sign-in test password' };
const OTHER = { email: 'hr@acme.example', password: 'another test password' };
const UNKNOWN = 'nobody@acme.example';

/**
 * Sign-in answers on the real web process. TRUST_PROXY=loopback lets the test sign in "from"
 * different client addresses with X-Forwarded-For, as a proxy in front of the console would.
 */
describe('admin console sign-in', () => {
  let system: ConsoleProcesses;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_sign_in', { env: { TRUST_PROXY: 'loopback' } });
    const company = await system.models.Company.create({ name: 'Acme Ltd' });
    for (const who of [KNOWN, OTHER]) await saveAdmin(system.models, { ...who, role: 'companyAdmin', companyId: company._id });
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const signIn = (email: string, password: string, address: string) =>
    new ConsoleClient(system.baseUrl).request('POST', '/admin/login', { form: { email, password }, headers: { 'X-Forwarded-For': address } });

  /** An answer as the browser gets it, but for what changes with the clock (Date, and Retry-After by a second). */
  const comparable = (response: ConsoleResponse) => ({
    status: response.status,
    body: response.body,
    // Every request has an id of its own (X-Request-Id): it tells nothing about the account.
    headers: [...response.headers].filter(([name]) => name !== 'date' && name !== 'retry-after' && name !== 'x-request-id'),
    retryAfter: response.headers.has('retry-after'),
  });

  async function lock(email: string, address: string): Promise<void> {
    for (let i = 0; i < LOCKOUT_POLICY.freeFailures; i += 1) expect((await signIn(email, `wrong ${i}`, address)).status).toBe(401);
  }

  it('answers a known and an unknown e-mail address alike, failure after failure, through the lock', async () => {
    for (let attempt = 0; attempt <= LOCKOUT_POLICY.freeFailures; attempt += 1) {
      const known = await signIn(KNOWN.email, `wrong ${attempt}`, '198.51.100.1');
      const unknown = await signIn(UNKNOWN, `wrong ${attempt}`, '198.51.100.2');
      expect(comparable(unknown)).toEqual(comparable(known));
      expect([attempt, known.status]).toEqual([attempt, attempt < LOCKOUT_POLICY.freeFailures ? 401 : 429]);
    }
    // While locked, even the right password gets the very answer an unknown address gets.
    const right = await signIn(KNOWN.email, KNOWN.password, '198.51.100.1');
    const unknown = await signIn(UNKNOWN, KNOWN.password, '198.51.100.2');
    expect(right.status).toBe(429);
    expect(right.body).toContain('Too many failed sign-ins with this e-mail address from your network');
    expect(comparable(unknown)).toEqual(comparable(right));
  });

  it('locks an e-mail address only where the guesses came from: the admin still signs in from elsewhere', async () => {
    await lock(KNOWN.email, '203.0.113.7');
    expect((await signIn(KNOWN.email, KNOWN.password, '203.0.113.7')).status).toBe(429);
    expect((await signIn(KNOWN.email, KNOWN.password, '203.0.113.8')).status).toBe(303);
    expect((await signIn(OTHER.email, OTHER.password, '203.0.113.7')).status).toBe(303);
  });

  it('opens again when the lock runs out; a successful sign-in starts the count afresh', async () => {
    const address = '192.0.2.10';
    await lock(KNOWN.email, address);
    expect((await signIn(KNOWN.email, KNOWN.password, address)).status).toBe(429);
    const failures = system.database.connection.collection(LOGIN_FAILURES_COLLECTION);
    const key = LoginFailures.key(KNOWN.email, address);
    await failures.updateMany({ key }, { $set: { at: new Date(Date.now() - LOCKOUT_POLICY.maxLockMs - 1000) } });
    expect((await signIn(KNOWN.email, KNOWN.password, address)).status).toBe(303);
    expect(await failures.countDocuments({ key })).toBe(0);
    expect((await signIn(KNOWN.email, 'one typo', address)).status).toBe(401);
  });

  it('keeps neither e-mail addresses nor client addresses in the failure records', async () => {
    await signIn(OTHER.email, 'wrong', '192.0.2.99');
    const stored = JSON.stringify(await system.database.connection.collection(LOGIN_FAILURES_COLLECTION).find().toArray());
    expect(stored).not.toMatch(/acme\.example|192\.0\.2|198\.51\.100|203\.0\.113/);
  });

  it('unlocks an account from every address when create-admin resets its password', async () => {
    await lock(OTHER.email, '192.0.2.20');
    await lock(OTHER.email, '192.0.2.21');
    const companyId = (await system.models.AdminUser.findOne({ email: OTHER.email }))!.companyId ?? null;
    await saveAdmin(system.models, { email: OTHER.email, password: 'a brand new password', role: 'companyAdmin', companyId }, { resetPassword: true });
    for (const address of ['192.0.2.20', '192.0.2.21']) expect((await signIn(OTHER.email, 'a brand new password', address)).status).toBe(303);
  });
});
