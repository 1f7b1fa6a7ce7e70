import { randomUUID } from 'node:crypto';
import { holdLock, LockExpiredError, tryLock } from '../../../src/store/write-lock';
import { useFreshDatabase } from '../../support/database';
import { eventually } from '../../support/eventually';

/** A projection lease renewed while its holder works (src/store/write-lock.ts holdLock). */
describe('holdLock', () => {
  const db = useFreshDatabase('write_lock');
  const locks = () => db().models.ScimUserResource.db.collection<{ _id: string; until: Date }>('scim_write_locks');
  const timePasses = (until: number) => eventually(async () => Date.now(), (now) => now > until, 30_000, 50);

  it('keeps a renewed lease its own past its first deadline, and frees it on release', async () => {
    const key = `project:${randomUUID()}`;
    const started = Date.now();
    const lease = await holdLock(db().models, key, 1_500, 500, { renewEveryMs: 200 });
    if (!lease) throw new Error('lease not taken');
    await timePasses(started + 3_000);
    expect(() => lease.assertHeld()).not.toThrow();
    expect((await locks().findOne({ _id: key }))!.until.getTime()).toBeGreaterThan(Date.now());
    expect(await tryLock(db().models, key, randomUUID(), 1_500)).toBe(false);
    await lease.release();
    expect(await locks().countDocuments({ _id: key })).toBe(0);
    expect(await tryLock(db().models, key, randomUUID(), 1_500)).toBe(true);
  });

  it('lets an unrenewed lease lapse: its holder may no longer write, and another process takes it', async () => {
    const key = `project:${randomUUID()}`;
    const started = Date.now();
    const lease = await holdLock(db().models, key, 1_000, 400);
    if (!lease) throw new Error('lease not taken');
    await timePasses(started + 1_100);
    expect(() => lease.assertHeld()).toThrow(LockExpiredError);
    expect(await tryLock(db().models, key, randomUUID(), 1_000)).toBe(true);
    // The former holder's release leaves the new holder's lock alone.
    await lease.release();
    expect(await locks().countDocuments({ _id: key })).toBe(1);
  });
});
