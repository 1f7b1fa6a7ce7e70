/**
 * Backoff for console logins, per account: the first few failures cost nothing (typos), then
 * each further failure locks the account for twice as long as the last, up to a cap. A
 * successful login resets the count. Guessing stays slow without letting a stranger keep a
 * real admin out for long.
 */
export const LOCKOUT_POLICY = { freeFailures: 5, firstLockMs: 30_000, maxLockMs: 15 * 60_000 } as const;

/** When the account unlocks after its `failedLogins`-th consecutive failure, or null if it stays open. */
export function lockedUntilAfterFailure(failedLogins: number, now: Date, policy = LOCKOUT_POLICY): Date | null {
  if (failedLogins < policy.freeFailures) return null;
  const doublings = Math.min(failedLogins - policy.freeFailures, 30);
  const lockMs = Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** doublings);
  return new Date(now.getTime() + lockMs);
}

/** Milliseconds until the account may try again; 0 when it is open. */
export function lockRemainingMs(lockedUntil: Date | null | undefined, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, lockedUntil.getTime() - now.getTime());
}
