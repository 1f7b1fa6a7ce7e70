import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Cluster } from 'ioredis';
import type { Express } from 'express';
import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { privateRedisCluster, type PrivateRedisDeployment } from '../../support/private-redis-deployments';
import { eventually } from '../../support/eventually';
import { patchOp, scimClient, scimError } from '../../support/scim-client';
import { makeCompany, makeScimSetting } from '../../factories';
import { createGroup, createUsers, entraUser, targetGroups, targetUsers } from '../groups/support';
import { createRedis, type RedisClient } from '../../../src/queue/redis';
import { defaultQueueNames, Producer } from '../../../src/queue/producer';
import { freePort } from '../../../dev/services/free-port';
import { pingRedis } from '../../../dev/services/readiness';
import { spawnManaged, type ManagedChild } from '../../../dev/services/managed-child';
import { procfileArgs } from '../../../scripts/procfile';

jest.setTimeout(120_000);

const LIMIT = 3;
const ROOT = path.join(__dirname, '..', '..', '..');

/**
 * The product on a Redis Cluster of three masters (no replicas), named by REDIS_URL's cluster
 * form: the intake and workers on cluster clients built as the product builds them, the queue
 * prefix hash-tagged so each queue's keys share a slot, failed-token counts kept in the cluster,
 * and the real worker process started with REDIS_URL=redis-cluster://….
 */
describe('on a Redis Cluster', () => {
  let cluster: PrivateRedisDeployment;
  let system: TestSystem;
  let companyId: Types.ObjectId;
  const clients: RedisClient[] = [];
  let worker: ManagedChild | undefined;

  beforeAll(async () => {
    cluster = await privateRedisCluster('pipeline');
    system = await TestSystem.start('redis_cluster', { redisUrl: cluster.url, workers: 0, env: { AUTH_FAILURES_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(async () => {
    await worker?.stop();
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    await system?.stop();
    await cluster?.stop();
  });
  beforeEach(async () => {
    companyId = (await makeCompany(system.models))._id;
  });

  const mirroredSetting = async () => scimClient(system, (await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups' })).token);

  it('projects creates and a PATCH adding group members into target users and groups, with every key of the queues on one master', async () => {
    system.startWorkers(1);
    const idp = await mirroredSetting();
    const [ann, bob, cy] = (await createUsers(idp, ['ann', 'bob', 'cy'].map((n) => entraUser(`${n}@cluster.example`)))) as [string, string, string];
    const sales = await createGroup(idp, 'Sales', [ann]);
    expect((await idp.patch(`/Groups/${sales}`, patchOp({ op: 'Add', path: 'members', value: [{ value: bob }, { value: cy }] }))).status).toBe(204);
    await system.idle();
    await system.stopWorkers();

    const everyone = ['ann@cluster.example', 'bob@cluster.example', 'cy@cluster.example'];
    expect(await targetGroups(system, companyId)).toEqual({ 'idp:Sales': everyone });
    expect(await targetUsers(system, companyId)).toEqual(Object.fromEntries(everyone.map((u) => [u, { status: 'active', groups: ['idp:Sales'] }])));

    expect(system.queuePrefix).toMatch(/^\{test-[^{}]+\}$/);
    const client = system.producer.redis;
    if (!(client instanceof Cluster)) throw new Error('the system is not on a cluster client');
    const masters = client.nodes('master');
    expect(masters).toHaveLength(3);
    const keysPerMaster = await Promise.all(masters.map((node) => node.keys(`${system.queuePrefix}:*`)));
    expect(keysPerMaster.filter((keys) => keys.length > 0)).toHaveLength(1);

    const ready = await request(system.app).get('/readyz');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 200, body: { status: 'ready', redis: true, mongodb: true } });
  });

  it('shares failed-token counts between web processes through the cluster: 429 past the limit', async () => {
    if (system.config.redis === undefined) throw new Error('the system has no REDIS_URL');
    const redis = createRedis(system.config.redis, 'producer', system.logger);
    clients.push(redis);
    await new Promise((resolve) => redis.once('ready', resolve));
    const other: Express = system.intakeWith(new Producer(redis, system.queueNames, system.queuePrefix, system.logger));
    const unknownToken = (n: number) => `scim_${n.toString(16).padStart(12, '0')}_${'x'.repeat(43)}`;
    const statuses: number[] = [];
    // Alternating processes: only counts kept in Redis (not each process's fallback) reach the limit.
    for (let i = 0; i <= LIMIT; i += 1) statuses.push((await scimClient(system, unknownToken(i), { app: () => (i % 2 === 0 ? system.app : other) }).get('/Users')).status);
    expect(statuses).toEqual([...Array.from({ length: LIMIT }, () => 401), 429]);
    const limited = await scimClient(system, unknownToken(99), { app: () => other }).get('/Users');
    expect({ status: limited.status, body: limited.body }).toEqual({ status: 429, body: scimError(429) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('is what `npm start` accepts as an external REDIS_URL: the starter pings the cluster', async () => {
    await expect(pingRedis(cluster.url, 2000)).resolves.toBeUndefined();
    const nobody = `redis-cluster://127.0.0.1:${await freePort()}`;
    await expect(pingRedis(nobody, 500)).rejects.toThrow();
  });

  it('runs the worker process with REDIS_URL=redis-cluster://…: it projects and its /readyz answers', async () => {
    await system.freshQueues({ prefix: `cluster-${process.pid}-${randomBytes(3).toString('hex')}`, names: defaultQueueNames });
    const port = await freePort();
    worker = await spawnManaged('worker', process.execPath, procfileArgs('worker'), {
      cwd: ROOT,
      env: system.workerProcessEnv({ WORKER_HEALTH_PORT: String(port), DUE_SWEEP_INTERVAL_MS: '200', LOG_LEVEL: 'warn' }),
    });
    const readiness = () => fetch(`http://127.0.0.1:${port}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }), () => undefined);
    const ready = await eventually(async () => worker?.exitReason() ?? (await readiness()), (r) => typeof r === 'string' || r?.status === 200, 90_000);
    expect(ready).toEqual({ status: 200, body: { status: 'ready', redis: true, mongodb: true } });

    const idp = await mirroredSetting();
    const [dee] = (await createUsers(idp, [entraUser('dee@cluster.example')])) as [string];
    await createGroup(idp, 'Support', [dee]);
    const projected = await eventually(() => targetGroups(system, companyId), (groups) => (groups['idp:Support'] ?? []).length === 1, 60_000);
    expect(projected).toEqual({ 'idp:Support': ['dee@cluster.example'] });
    await worker.stop();
    expect(worker.exitReason()).toBe('worker exited with code 0');
  });
});
