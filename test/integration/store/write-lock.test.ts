import { randomUUID } from 'node:crypto';
import { connectDatabase, type Database } from '../../../src/db/connect';
import { holdLock, LockExpiredError, tryLock } from '../../../src/store/write-lock';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../support/database';
import { eventually } from '../../support/eventually';

/** A projection lease renewed while its holder works (src/store/write-lock.ts holdLock). */
describe('holdLock', () => {
  const name = freshDatabaseName('write_lock');
  let database: Database;
  beforeAll(async () => {
    database = await connectDatabase(testMongoUri(), name);
  });
  afterAll(async () => {
    await database.connection.close();
    await dropDatabase(testMongoUri(), name);
  });
  const locks = () => database.models.ScimUserResource.db.collection<{ _id: string; until: Date }>('scim_write_locks');
  const timePasses = (until: number) => eventually(async () => Date.now(), (now) => now > until, 30_000, 50);

  it('keeps a renewed lease its own past its first deadline, and frees it on release', async () => {
    const key = `project:${randomUUID()}`;
    const started = Date.now();
    const lease = await holdLock(database.models, key, 1_500, 500, { renewEveryMs: 200 });
    if (!lease) throw new Error('lease not taken');
    await timePasses(started + 3_000);
    expect(() => lease.assertHeld()).not.toThrow();
    expect((await locks().findOne({ _id: key }))!.until.getTime()).toBeGreaterThan(Date.now());
    expect(await tryLock(database.models, key, randomUUID(), 1_500)).toBe(false);
    await lease.release();
    expect(await locks().countDocuments({ _id: key })).toBe(0);
    expect(await tryLock(database.models, key, randomUUID(), 1_500)).toBe(true);
  });

  it('lets an unrenewed lease lapse: its holder may no longer write, and another process takes it', async () => {
    const key = `project:${randomUUID()}`;
    const started = Date.now();
    const lease = await holdLock(database.models, key, 1_000, 400);
    if (!lease) throw new Error('lease not taken');
    await timePasses(started + 1_100);
    expect(() => lease.assertHeld()).toThrow(LockExpiredError);
    expect(await tryLock(database.models, key, randomUUID(), 1_000)).toBe(true);
    // The former holder's release leaves the new holder's lock alone.
    await lease.release();
    expect(await locks().countDocuments({ _id: key })).toBe(1);
  });
});
