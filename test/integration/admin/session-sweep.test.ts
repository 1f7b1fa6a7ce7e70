import mongoose, { type Connection } from 'mongoose';
import { SESSIONS_COLLECTION, sweepExpiredSessions } from '../../../admin/auth/session';
import { watchForUnacknowledgedWrites } from '../../../src/db/unacknowledged-writes';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../support/database';
import { takeUnacknowledgedWrites } from '../../support/no-unacknowledged-writes';

/**
 * The console's expired-session sweep on the real server. A pool of one connection makes every
 * command after the sweep travel on the sweep's own connection: had the sweep been sent
 * unacknowledged, FerretDB's stray reply would answer the next command instead of its own.
 */
describe('console session sweep', () => {
  const dbName = freshDatabaseName('session_sweep');
  let connection: Connection;

  beforeAll(async () => {
    connection = mongoose.createConnection(testMongoUri(), { dbName, maxPoolSize: 1, monitorCommands: true, autoIndex: false });
    watchForUnacknowledgedWrites(connection.getClient());
    await connection.asPromise();
  });

  afterAll(async () => {
    await connection?.close(true);
    await dropDatabase(testMongoUri(), dbName);
  });

  it('removes expired sessions only, and every later command on the pool gets its own answer', async () => {
    const now = Date.now();
    const sessions = connection.collection(SESSIONS_COLLECTION);
    await sessions.insertMany(
      Array.from({ length: 40 }, (_, i) => ({ _id: `s${i}` as never, session: {}, expires: new Date(now + (i % 2 === 0 ? -60_000 : 60_000)) })),
    );
    const probes = connection.collection<{ _id: number; value: string }>('probes');
    await probes.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i, value: `value-${i}` })));

    expect(await sweepExpiredSessions({ connection }, new Date(now))).toBe(20);

    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        if (i % 3 === 0) return { expected: 20, got: await sessions.countDocuments({}) };
        const id = i % 100;
        return { expected: `value-${id}`, got: (await probes.findOne({ _id: id }))?.value };
      }),
    );
    expect(answers.filter((a) => a.got !== a.expected)).toEqual([]);
    expect((await sessions.find({}).toArray()).map((s) => s._id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `s${2 * i + 1}`).sort());
  });

  it('raises a warning for a w: 0 write, whichever code sends it', async () => {
    // A connection of its own: on FerretDB the stray reply leaves this one out of step.
    const spare = mongoose.createConnection(testMongoUri(), { dbName, maxPoolSize: 1, monitorCommands: true, autoIndex: false });
    watchForUnacknowledgedWrites(spare.getClient());
    try {
      await spare.asPromise();
      await spare.collection<{ _id: number }>('probes').deleteMany({ _id: -1 }, { writeConcern: { w: 0 } });
      const warned = takeUnacknowledgedWrites();
      expect(warned).toEqual([`unacknowledged (w: 0) delete on ${dbName}.probes`]);
    } finally {
      await spare.close(true);
    }
  });
});
