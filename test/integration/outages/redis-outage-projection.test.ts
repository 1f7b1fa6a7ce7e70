import type { Express } from 'express';
import type { Worker } from 'bullmq';
import { TestSystem } from '../../support/system';
import { eventually } from '../../support/eventually';
import { privateRedis, type PrivateServer } from '../../support/private-servers';
import { makeCompany, makeScimSetting } from '../../factories';
import { createsThroughOutage } from '../../support/creates-through-outage';
import { parseRedisUrl } from '../../../src/config';
import { createRedis } from '../../../src/queue/redis';
import { Producer } from '../../../src/queue/producer';
import { startWorkers } from '../../../workers/runtime';
import { DueSweep } from '../../../workers/due-sweep';
import { outageMs } from '../../support/outage-length';

/** How long Redis stays dead while the IdP keeps sending creates. */
const OUTAGE_MS = outageMs(15_000, 90_000);
jest.setTimeout(OUTAGE_MS + 165_000);

/**
 * Redis killed while creates run, then restarted on the same port, with no process restarted:
 * every create answered 201 is projected exactly once (its due record in MongoDB outlives the
 * wake-ups Redis lost; the due sweep wakes the setting once Redis is back), and none answered
 * 503 left anything behind.
 */
describe('projection through a Redis outage', () => {
  let system: TestSystem;
  let redis: PrivateServer;
  let producer: Producer;
  let workers: Worker[] = [];
  let consumer: ReturnType<typeof createRedis> | undefined;
  let sweeping: NodeJS.Timeout;
  let app: Express;
  let token: string;
  let settingId: string;

  beforeAll(async () => {
    system = await TestSystem.start('outage_redis_projection', { workers: 0 });
    redis = await privateRedis('outage-projection');
    const producerRedis = createRedis(parseRedisUrl(redis.url), 'producer', system.logger);
    producer = new Producer(producerRedis, system.queueNames, system.queuePrefix, system.logger);
    const ctx = { ...system.workerContext(), producer };
    consumer = createRedis(parseRedisUrl(redis.url), 'consumer', system.logger);
    workers = startWorkers(ctx, { connection: consumer, queueNames: system.queueNames, prefix: system.queuePrefix, concurrency: 4 });
    const sweep = new DueSweep(system.models, producer, system.logger);
    sweeping = setInterval(() => void sweep.run().catch(() => undefined), 500);
    app = system.intakeWith(producer);
    const setting = await makeScimSetting(system.models, (await makeCompany(system.models))._id, { groupingCriteria: 'department' });
    token = setting.token;
    settingId = setting.id.toHexString();
  });
  afterAll(async () => {
    clearInterval(sweeping);
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    // BullMQ leaves a connection it was handed open; a client left reconnecting keeps Jest alive.
    consumer?.disconnect();
    await producer?.close().catch(() => undefined);
    producer?.redis.disconnect();
    await redis?.stop();
    await system?.stop();
  });

  it('projects every create answered 201 exactly once, within a minute of Redis returning', async () => {
    const { created, refused, answered, returnedAt } = await createsThroughOutage(app, token, OUTAGE_MS, redis, () => eventually(async () => producer.ready, (ready) => ready, 30_000).then(() => undefined));
    // Every answer is a 201 or a 503 (the IdP retries those): never a 500 or a refusal of a valid token.
    expect([...answered.values()].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);

    // Within a minute of the server's return (eventually's deadline), nothing is left due.
    expect(await eventually(() => system.models.ProjectionDue.countDocuments({}), (due) => due === 0, returnedAt + 60_000 - Date.now())).toBe(0);
    const projectedMs = Date.now() - returnedAt;
    process.stdout.write(`\n[outage] ${created.length} created, ${refused.length} refused while Redis was down ${OUTAGE_MS} ms; all projected ${projectedMs} ms after Redis returned\n`);
    const targets = await system.models.TargetUser.collection.find({ scimSettingId: system.models.TargetUser.base.Types.ObjectId.createFromHexString(settingId) }, { projection: { userName: 1, department: 1, groupIds: 1 } }).toArray();
    expect(targets.map((t) => t.userName).sort()).toEqual([...created].sort());
    expect(targets.every((t) => (t.groupIds as unknown[]).length === 1)).toBe(true);
    const lines = await system.models.SyncActivity.collection.countDocuments({ outcome: 'applied', resourceType: 'User' });
    expect(lines).toBe(created.length);
    expect(await system.models.ScimUserResource.countDocuments({ userName: { $in: refused } })).toBe(0);
  });
});
