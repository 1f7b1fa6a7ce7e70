import type { Express } from 'express';
import type { Worker } from 'bullmq';
import { connectDatabase, webDatabaseTimeouts, type Database } from '../../../src/db/connect';
import { createWebApp } from '../../../src/http/app';
import { loadConfig, parseRedisUrl } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { createRedis, waitForRedis, type RedisClient } from '../../../src/queue/redis';
import { Producer } from '../../../src/queue/producer';
import { ScimUserStore } from '../../../src/store/scim-users';
import { ScimGroupStore } from '../../../src/store/scim-groups';
import { intakeMetrics } from '../../../src/metrics/intake-metrics';
import { startWorkers } from '../../../workers/runtime';
import { DueSweep } from '../../../workers/due-sweep';
import { eventually } from '../../support/eventually';
import { outageMs } from '../../support/outage-length';
import { freshDatabaseName, testMongoKind } from '../../support/database';
import { freshQueueName, testRedisUrl } from '../../support/redis';
import { privateFerretDb, type PrivateServer } from '../../support/private-servers';
import { makeCompany, makeScimSetting } from '../../factories';
import { createsThroughOutage } from '../../support/creates-through-outage';

/** How long the database stays dead while the IdP keeps sending creates. */
const OUTAGE_MS = outageMs(20_000, 180_000);
jest.setTimeout(OUTAGE_MS + 180_000);

const onFerretDb = testMongoKind() === 'ferretdb' ? describe : describe.skip;

/**
 * The database killed while creates run, then restarted, with no process restarted: the web
 * process and the worker each on their own connection, as in production. Every create answered
 * 201 ends up projected exactly once within a minute of the database returning: its due record
 * was stored before the 201, the projection jobs that failed meanwhile leave it in place, and the
 * due sweep wakes the setting once the database answers again.
 */
onFerretDb('projection through a database outage', () => {
  let server: PrivateServer;
  let web: Database;
  let worker: Database;
  let producer: Producer;
  let consumer: RedisClient;
  let workers: Worker[] = [];
  let sweeping: NodeJS.Timeout;
  let app: Express;
  let token: string;
  /** The cause of any 500 (the intake's "unexpected error" lines), kept for the failure message; nothing else is logged. */
  const unexpected: string[] = [];
  const logger = createLogger('error', 'test', { write: (line: string) => void (line.includes('unexpected error') && unexpected.push(line)) });

  beforeAll(async () => {
    server = await privateFerretDb();
    const url = new URL(server.url);
    url.pathname = `/${freshDatabaseName('outage_db_projection')}`;
    web = await connectDatabase(url.toString(), undefined, webDatabaseTimeouts);
    worker = await connectDatabase(url.toString());
    const redisTarget = parseRedisUrl(testRedisUrl());
    const producerRedis = createRedis(redisTarget, 'producer', logger);
    await waitForRedis(producerRedis);
    const queueNames = { projection: freshQueueName('projection'), maintenance: freshQueueName('maintenance') };
    const prefix = freshQueueName('outage');
    producer = new Producer(producerRedis, queueNames, prefix, logger);
    consumer = createRedis(redisTarget, 'consumer', logger);
    const ctx = { models: worker.models, logger, producer, users: new ScimUserStore(worker.models), groups: new ScimGroupStore(worker.models), projectionLeaseMs: 60_000 };
    workers = startWorkers(ctx, { connection: consumer, queueNames, prefix, concurrency: 4 });
    const sweep = new DueSweep(worker.models, producer, logger);
    sweeping = setInterval(() => void sweep.run().catch(() => undefined), 500);
    const models = web.models;
    app = createWebApp({ config: loadConfig({ NODE_ENV: 'test' }), logger, models, producer, users: new ScimUserStore(models), groups: new ScimGroupStore(models), metrics: intakeMetrics({ queues: () => Object.values(producer.queues), models }) });
    ({ token } = await makeScimSetting(models, (await makeCompany(models))._id, { groupingCriteria: 'department' }));
  });
  afterAll(async () => {
    clearInterval(sweeping);
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    consumer?.disconnect();
    await Promise.all(Object.values(producer?.queues ?? {}).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
    await producer?.close().catch(() => undefined);
    producer?.redis.disconnect();
    await web?.connection.dropDatabase().catch(() => undefined);
    await web?.connection.close(true);
    await worker?.connection.close(true);
    await server?.stop();
  });

  it('projects every create answered 201 exactly once, within a minute of the database returning', async () => {
    const { created, refused, answered, returnedAt } = await createsThroughOutage(app, token, OUTAGE_MS, server);
    // Every answer is a 201 or a 503 (the IdP retries those): never a 500 or a refusal of a valid token.
    expect({ statuses: [...answered.values()].filter((status) => status !== 201 && status !== 503), unexpected }).toEqual({ statuses: [], unexpected: [] });
    expect(refused.length).toBeGreaterThan(0);

    const models = worker.models;
    // Within a minute of the server's return (eventually's deadline), nothing is left due.
    expect(await eventually(() => models.ProjectionDue.countDocuments({}), (due) => due === 0, returnedAt + 60_000 - Date.now(), 250)).toBe(0);
    const projectedMs = Date.now() - returnedAt;
    // A 503 may still have stored its user (the answer was lost, not the write): those are projected too, like any stored user.
    const stored = (await models.ScimUserResource.collection.find({ deleted: false }, { projection: { userName: 1 } }).toArray()).map((d) => d.userName as string);
    const targets = await models.TargetUser.collection.find({}, { projection: { userName: 1, groupIds: 1 } }).toArray();
    process.stdout.write(`\n[outage] database down ${OUTAGE_MS} ms: ${created.length} created, ${refused.length} refused (${stored.length - created.length} of them stored anyway); all projected ${projectedMs} ms after it returned\n`);
    expect(stored).toEqual(expect.arrayContaining(created));
    expect(targets.map((t) => t.userName).sort()).toEqual([...stored].sort());
    expect(targets.every((t) => (t.groupIds as unknown[]).length === 1)).toBe(true);
    const applied = await models.SyncActivity.collection.find({ outcome: 'applied', resourceType: 'User' }, { projection: { resourceId: 1 } }).toArray();
    expect(applied).toHaveLength(stored.length);
    expect(new Set(applied.map((a) => a.resourceId)).size).toBe(stored.length);
  });
});
