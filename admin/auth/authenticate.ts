import type { Models } from '../../src/models';
import { lockedUntilAfterFailure, lockRemainingMs } from './lockout';
import { burnPasswordCheck, verifyPassword } from './password';
import { toConsoleAdmin, type ConsoleAdmin } from './console-admin';

export type LoginResult =
  | { ok: true; admin: ConsoleAdmin }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  | { ok: false; reason: 'noCompany' };

/** Longer input is refused before hashing: scrypt time must not be spent on megabytes. */
const MAX_INPUT = 1024;

/**
 * Checks a console login. A locked account is refused without looking at the password, so
 * guesses made while locked teach nothing; an unknown e-mail costs as much time as a known one.
 */
export async function authenticate(models: Models, emailInput: unknown, password: unknown, now = new Date()): Promise<LoginResult> {
  if (typeof emailInput !== 'string' || typeof password !== 'string' || emailInput.length > MAX_INPUT || password.length > MAX_INPUT) {
    return { ok: false, reason: 'invalid' };
  }
  const email = emailInput.trim().toLowerCase();
  const user = await models.AdminUser.findOne({ email });
  if (!user) {
    await burnPasswordCheck(password);
    return { ok: false, reason: 'invalid' };
  }
  const remaining = lockRemainingMs(user.lockedUntil, now);
  if (remaining > 0) return { ok: false, reason: 'locked', retryAfterMs: remaining };

  if (!(await verifyPassword(password, user.passwordHash))) {
    // $inc keeps concurrent failures counted; the lock is derived from the count it returns.
    const counted = await models.AdminUser.findOneAndUpdate({ _id: user._id }, { $inc: { failedLogins: 1 } }, { new: true });
    const lockedUntil = lockedUntilAfterFailure(counted?.failedLogins ?? 0, now);
    if (lockedUntil) await models.AdminUser.updateOne({ _id: user._id }, { $set: { lockedUntil } });
    return { ok: false, reason: 'invalid' };
  }
  if (user.role !== 'platformAdmin' && !user.companyId) return { ok: false, reason: 'noCompany' };

  await models.AdminUser.updateOne({ _id: user._id }, { $set: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
  return { ok: true, admin: toConsoleAdmin(user) };
}
