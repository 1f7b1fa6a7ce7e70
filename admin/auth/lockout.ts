/**
 * Backoff for console sign-ins, per e-mail address and client address (login-failures.ts): the
 * first few failures cost nothing (typos), then each further failure locks that pair for twice
 * as long as the last, up to a cap. A successful sign-in resets the count. Guessing stays slow,
 * and a stranger guessing from elsewhere locks out only themselves.
 */
export const LOCKOUT_POLICY = { freeFailures: 5, firstLockMs: 30_000, maxLockMs: 15 * 60_000 } as const;

/** When a pair unlocks after its `failedLogins`-th consecutive failure at `now`, or null if it stays open. */
export function lockedUntilAfterFailure(failedLogins: number, now: Date, policy = LOCKOUT_POLICY): Date | null {
  if (failedLogins < policy.freeFailures) return null;
  const doublings = Math.min(failedLogins - policy.freeFailures, 30);
  const lockMs = Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** doublings);
  return new Date(now.getTime() + lockMs);
}

/** Milliseconds until the pair may try again; 0 when it is open. */
export function lockRemainingMs(lockedUntil: Date | null | undefined, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, lockedUntil.getTime() - now.getTime());
}
