import fc from 'fast-check';
import { LOCKOUT_POLICY, lockedUntilAfterFailure, lockRemainingMs } from '../../../admin/auth/lockout';

const now = new Date('2026-01-01T00:00:00Z');
const lockMs = (failures: number) => (lockedUntilAfterFailure(failures, now)?.getTime() ?? now.getTime()) - now.getTime();

describe('login lockout', () => {
  it('lets the first few failures pass, then locks for the first lock time', () => {
    expect(lockedUntilAfterFailure(LOCKOUT_POLICY.freeFailures - 1, now)).toBeNull();
    expect(lockMs(LOCKOUT_POLICY.freeFailures)).toBe(LOCKOUT_POLICY.firstLockMs);
    expect(lockMs(LOCKOUT_POLICY.freeFailures + 1)).toBe(2 * LOCKOUT_POLICY.firstLockMs);
  });

  it('never shortens with more failures and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (failures) => {
        expect(lockMs(failures + 1)).toBeGreaterThanOrEqual(lockMs(failures));
        expect(lockMs(failures)).toBeLessThanOrEqual(LOCKOUT_POLICY.maxLockMs);
      }),
    );
  });

  it('counts down to an open account', () => {
    expect(lockRemainingMs(null, now)).toBe(0);
    expect(lockRemainingMs(new Date(now.getTime() - 1), now)).toBe(0);
    expect(lockRemainingMs(new Date(now.getTime() + 5000), now)).toBe(5000);
  });
});
