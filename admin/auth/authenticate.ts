import type { Models } from '../../src/models';
import { adminUsers } from '../../src/store/admin-users';
import { lockedUntilAfterFailure, lockRemainingMs } from './lockout';
import { LoginFailures, normaliseEmail } from './login-failures';
import { burnPasswordCheck, verifyPassword } from './password';
import { toConsoleAdmin, type ConsoleAdmin } from './console-admin';

export type LoginResult =
  | { ok: true; admin: ConsoleAdmin }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  | { ok: false; reason: 'noCompany' };

export interface SignInAttempt {
  email: unknown;
  password: unknown;
  /** The client address, as Express derives it (TRUST_PROXY decides whether X-Forwarded-For counts). */
  address: string;
}

/** Longer input is refused before hashing: scrypt time must not be spent on megabytes. */
const MAX_INPUT = 1024;

/**
 * Checks a console sign-in. Whether the e-mail address belongs to an admin changes neither the
 * answer nor the work done: an unknown address is counted and locked like a known one (per
 * e-mail and client address, see login-failures.ts) and its password is checked against a
 * decoy hash. A locked e-mail and address pair is refused without looking at the password, so
 * guesses made while locked teach nothing.
 */
export async function authenticate(models: Models, failures: LoginFailures, attempt: SignInAttempt, now = new Date()): Promise<LoginResult> {
  const { email: emailInput, password, address } = attempt;
  if (typeof emailInput !== 'string' || typeof password !== 'string' || emailInput.length > MAX_INPUT || password.length > MAX_INPUT) {
    return { ok: false, reason: 'invalid' };
  }
  const email = normaliseEmail(emailInput);
  const key = LoginFailures.key(email, address);
  const [user, recent] = await Promise.all([adminUsers.byEmail(models, email), failures.recent(key, now)]);
  const remaining = recent.last ? lockRemainingMs(lockedUntilAfterFailure(recent.count, recent.last), now) : 0;
  if (remaining > 0) return { ok: false, reason: 'locked', retryAfterMs: remaining };

  const matches = user ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password);
  if (!user || !matches) {
    await failures.record(key, email, now);
    return { ok: false, reason: 'invalid' };
  }
  if (user.role !== 'platformAdmin' && !user.companyId) return { ok: false, reason: 'noCompany' };

  await Promise.all([failures.clear(key), adminUsers.signedIn(models, user._id, now)]);
  return { ok: true, admin: toConsoleAdmin(user) };
}
