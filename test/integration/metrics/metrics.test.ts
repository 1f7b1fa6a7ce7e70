import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { TestSystem } from '../../support/system';
import { eventually } from '../../support/eventually';
import { GROUP_SCHEMA, scimClient, type ScimClient } from '../../support/scim-client';
import { parseMetrics, sampleValue, type Sample } from '../../support/metrics-text';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { loadConfig, parseRedisUrl } from '../../../src/config';
import { defaultQueueNames, Producer } from '../../../src/queue/producer';
import { freePort } from '../../../dev/services/free-port';
import { spawnManaged, type ManagedChild } from '../../../dev/services/managed-child';
import { processMetrics } from '../../../src/metrics/process-metrics';
import { intakeMetrics } from '../../../src/metrics/intake-metrics';
import { createRedis, waitForRedis } from '../../../src/queue/redis';
import { privateRedis } from '../../support/private-servers';
import { countRedisErrors } from '../../../src/metrics/dependency-errors';
import { procfileArgs } from '../../../scripts/procfile';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..', '..');
const METRICS_TOKEN = randomBytes(24).toString('hex');
const FAILURES_PER_MINUTE = 3;

/**
 * Both processes' /metrics on real SCIM traffic: the web app as every integration test builds it
 * (TestSystem), the real `worker:` process (workers/main.ts) with its health port. Figures are
 * compared before and after the traffic, so each assertion holds only if the traffic moved it.
 */
describe('metrics', () => {
  let system: TestSystem;
  let client: ScimClient;
  let worker: ManagedChild | undefined;
  let workerBase: string;

  beforeAll(async () => {
    system = await TestSystem.start('metrics', { workers: 0, env: { METRICS_TOKEN, AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE) } });
    // The worker process consumes the default queue names; the prefix keeps them this file's own.
    await system.freshQueues({ prefix: `metrics-${process.pid}-${randomBytes(3).toString('hex')}`, names: defaultQueueNames });
    const { token } = await makeScimSetting(system.models, (await makeCompany(system.models))._id);
    client = scimClient(system, token);
  });
  afterAll(async () => {
    await worker?.stop();
    await system.stop();
  });

  const scrapeWeb = async (app: Express = system.app): Promise<Sample[]> => {
    const answer = await request(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    if (answer.status !== 200) throw new Error(`web /metrics answered ${answer.status}: ${answer.text}`);
    return parseMetrics(answer.text);
  };
  const fetchWorker = (authorization?: string) => fetch(`${workerBase}/metrics`, { headers: authorization === undefined ? {} : { Authorization: authorization } });
  const scrapeWorker = async (): Promise<Sample[]> => {
    const answer = await fetchWorker(`Bearer ${METRICS_TOKEN}`);
    if (answer.status !== 200) throw new Error(`worker /metrics answered ${answer.status}: ${await answer.text()}`);
    return parseMetrics(await answer.text());
  };
  /** A counter or a histogram's `_count` is absent until its first event: 0 then. */
  const count = (samples: Sample[], name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels) ?? 0;

  async function startWorker(): Promise<void> {
    const port = await freePort();
    workerBase = `http://127.0.0.1:${port}`;
    worker = await spawnManaged('worker', process.execPath, procfileArgs('worker'), {
      cwd: ROOT,
      env: system.workerProcessEnv({ WORKER_HEALTH_PORT: String(port), METRICS_TOKEN, DUE_SWEEP_INTERVAL_MS: '200', LOG_LEVEL: 'warn' }),
    });
    const started = worker;
    const status = await eventually(async () => started.exitReason() ?? (await fetch(`${workerBase}/healthz`).then((r) => r.status, () => 0)), (s) => s === 200 || typeof s === 'string', 90_000);
    if (status !== 200) throw new Error(`worker process did not start: ${started.recentOutput()}`);
  }

  it('answers /metrics only to the bearer METRICS_TOKEN, and 404 without one configured', async () => {
    const metrics = (token?: string) => {
      const test = request(system.app).get('/metrics');
      return token === undefined ? test : test.set('Authorization', `Bearer ${token}`);
    };
    const granted = await metrics(METRICS_TOKEN);
    expect({ status: granted.status, type: granted.headers['content-type'] }).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8' });
    expect(granted.text).toContain('# TYPE scim_http_request_duration_seconds histogram');
    expect(granted.text).toContain('process_cpu_user_seconds_total');
    for (const refused of [await metrics(), await metrics(`${METRICS_TOKEN}x`), await metrics(METRICS_TOKEN.slice(1)), await metrics('')]) {
      expect({ status: refused.status, challenge: refused.headers['www-authenticate'], leaked: refused.text.includes('scim_') }).toEqual({
        status: 401,
        challenge: 'Bearer realm="metrics"',
        leaked: false,
      });
    }
    const unconfigured = system.intakeWith(system.producer, { config: loadConfig({ NODE_ENV: 'test' }) });
    expect((await request(unconfigured).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(404);
  });

  it('counts SCIM operations by resource type, operation and outcome, request durations by route template, and refused tokens', async () => {
    const before = await scrapeWeb();
    const ids: string[] = [];
    for (const name of ['ada', 'bob', 'cy']) {
      const created = await client.post('/Users', oktaUser(`${name}@example.com`));
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    expect((await client.get(`/Users/${ids[0]}`)).status).toBe(200);
    expect((await client.get('/Users/no-such-user')).status).toBe(404);
    expect((await client.get('/Users?filter=userName%20eq%20%22ada%40example.com%22')).status).toBe(200);
    expect((await client.patch(`/Users/${ids[1]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(200);
    expect((await client.put(`/Users/${ids[2]}`, oktaUser('cy@example.com', { displayName: 'Cy' }))).status).toBe(200);
    expect((await client.delete(`/Users/${ids[2]}`)).status).toBe(204);
    expect((await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Metrics group' })).status).toBe(201);

    // Refused tokens: a wrong secret for a real prefix counts apart from the address's own
    // count (missing and unknown tokens), which the fourth of those exceeds: 429.
    const [, prefix] = /^(scim_[^_]+_)/.exec((await makeScimSetting(system.models, (await makeCompany(system.models))._id)).token) ?? [];
    const as = (token: string | undefined) => scimClient(system, token);
    expect((await as(`${prefix}${'x'.repeat(43)}`).get('/Users')).status).toBe(401);
    expect((await as(undefined).get('/Users')).status).toBe(401);
    expect((await as(`scim_${'0'.repeat(12)}_${'x'.repeat(43)}`).get('/Users')).status).toBe(401);
    expect((await as('not-a-scim-token').post('/Users', oktaUser('eve@example.com'))).status).toBe(401);
    expect((await as('not-a-scim-token').get('/Users')).status).toBe(429);

    const after = await scrapeWeb();
    const delta = (name: string, labels: Record<string, string>) => count(after, name, labels) - count(before, name, labels);
    const ops = (resource_type: string, operation: string, outcome: string) => delta('scim_operations_total', { resource_type, operation, outcome });
    expect({
      createUser: ops('User', 'create', '2xx'),
      getUser: ops('User', 'get', '2xx'),
      missingUser: ops('User', 'get', '4xx'),
      list: ops('User', 'list', '2xx'),
      refusedLists: ops('User', 'list', '4xx'),
      refusedCreate: ops('User', 'create', '4xx'),
      patch: ops('User', 'patch', '2xx'),
      replace: ops('User', 'replace', '2xx'),
      delete: ops('User', 'delete', '2xx'),
      createGroup: ops('Group', 'create', '2xx'),
    }).toEqual({ createUser: 3, getUser: 1, missingUser: 1, list: 1, refusedLists: 4, refusedCreate: 1, patch: 1, replace: 1, delete: 1, createGroup: 1 });

    const timed = (method: string, route: string, status: string) => delta('scim_http_request_duration_seconds_count', { method, route, status });
    expect({
      created: timed('POST', '/scim/v2/users', '201'),
      read: timed('GET', '/scim/v2/users/:id', '200'),
      // The 404 leaves the Users router as an error: still named by the route that failed.
      notFound: timed('GET', '/scim/v2/users/:id', '404'),
      refusedBeforeRouting: timed('GET', 'unmatched', '401'),
    }).toEqual({ created: 3, read: 1, notFound: 1, refusedBeforeRouting: 3 });
    expect(delta('scim_http_request_duration_seconds_sum', { method: 'POST', route: '/scim/v2/users', status: '201' })).toBeGreaterThan(0);
    // No id of a user reaches a label.
    expect(after.filter((s) => ids.some((id) => Object.values(s.labels).some((v) => v.includes(id))))).toEqual([]);

    expect({
      invalid: delta('scim_auth_failures_total', { reason: 'invalid' }),
      missing: delta('scim_auth_failures_total', { reason: 'missing' }),
      unknown: delta('scim_auth_failures_total', { reason: 'unknown' }),
      throttled: count(after, 'scim_auth_throttled_total') - count(before, 'scim_auth_throttled_total'),
    }).toEqual({ invalid: 1, missing: 1, unknown: 2, throttled: 1 });
  });

  it('shows due work and queued wake-ups at scrape time, the worker projecting them, and due work back at 0', async () => {
    const waiting = await scrapeWeb();
    // The writes above are due, and their wake-up waits: no worker runs yet.
    expect(sampleValue(waiting, 'scim_projection_due_records', { state: 'pending' })).toBe(7);
    expect(sampleValue(waiting, 'scim_projection_due_oldest_age_seconds', { state: 'pending' })).toBeGreaterThan(0);
    expect(sampleValue(waiting, 'scim_queue_jobs', { queue: 'projection', state: 'waiting' })).toBe(1);
    expect(sampleValue(waiting, 'scim_queue_jobs', { queue: 'maintenance', state: 'failed' })).toBe(0);
    expect(waiting.filter((s) => s.name === 'scim_metrics_source_up').map((s) => [s.labels.source, s.value])).toEqual([
      ['redis', 1],
      ['mongodb', 1],
    ]);

    await startWorker();
    expect((await fetchWorker()).status).toBe(401);
    expect((await fetchWorker(`Bearer ${METRICS_TOKEN.toUpperCase()}`)).status).toBe(401);
    await system.idle();
    const web = await scrapeWeb();
    expect({
      due: sampleValue(web, 'scim_projection_due_records', { state: 'pending' }),
      age: sampleValue(web, 'scim_projection_due_oldest_age_seconds', { state: 'pending' }),
      waiting: sampleValue(web, 'scim_queue_jobs', { queue: 'projection', state: 'waiting' }),
    }).toEqual({ due: 0, age: 0, waiting: 0 });

    // The run's outcome is counted once its job completes, just after the batch.
    const projected = await eventually(scrapeWorker, (samples) => count(samples, 'scim_projection_runs_total', { outcome: 'projected' }) >= 1);
    expect(count(projected, 'scim_projection_runs_total', { outcome: 'projected' })).toBeGreaterThanOrEqual(1);
    expect(count(projected, 'scim_projection_runs_total', { outcome: 'failed' })).toBe(0);
    expect(count(projected, 'scim_projection_batch_size_count')).toBeGreaterThanOrEqual(1);
    // Each IdP write is observed once: 3 creates, a patch, a replace and a delete of users; one group.
    expect({
      users: count(projected, 'scim_projection_write_to_projection_seconds_count', { resource_type: 'User' }),
      groups: count(projected, 'scim_projection_write_to_projection_seconds_count', { resource_type: 'Group' }),
    }).toEqual({ users: 6, groups: 1 });
    const lagSum = count(projected, 'scim_projection_write_to_projection_seconds_sum', { resource_type: 'User' });
    // The writes waited for the worker to start: seconds, not minutes.
    expect(lagSum).toBeGreaterThan(0);
    expect(lagSum / 6).toBeLessThan(120);
    expect(sampleValue(projected, 'scim_projection_due_records', { state: 'pending' })).toBe(0);
    expect(count(projected, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts failed MongoDB commands and Redis client errors', async () => {
    const before = await scrapeWeb();
    await expect(system.database.connection.db?.command({ metricsNoSuchCommand: 1 })).rejects.toThrow();
    const after = await scrapeWeb();
    const failed = (samples: Sample[]) => count(samples, 'scim_mongodb_command_failures_total', { command: 'metricsNoSuchCommand' });
    expect(failed(after) - failed(before)).toBe(1);

    // A client whose server is gone reports a connection error (and, not retrying, ends).
    const metrics = processMetrics({ queues: () => [], models: system.models });
    const unreachable = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, retryStrategy: () => null });
    countRedisErrors(metrics.dependencyErrors, unreachable, 'producer');
    await unreachable.connect().catch(() => undefined);
    const errors = await eventually(async () => parseMetrics(await metrics.registry.metrics()), (s) => count(s, 'scim_redis_errors_total', { client: 'producer' }) > 0);
    expect(count(errors, 'scim_redis_errors_total', { client: 'producer' })).toBeGreaterThan(0);
  });

  it('answers a scrape within 2 s while Redis is stalled: the queue figures are absent and the source is down', async () => {
    const redis = await privateRedis('metrics_stall');
    const stalledClient = createRedis(parseRedisUrl(redis.url), 'producer', system.logger);
    await waitForRedis(stalledClient);
    const producer = new Producer(stalledClient, system.queueNames, system.queuePrefix, system.logger);
    const app = system.intakeWith(producer, { metrics: intakeMetrics({ queues: () => Object.values(producer.queues), models: system.models }) });
    const up = (samples: Sample[], source: string) => sampleValue(samples, 'scim_metrics_source_up', { source });
    try {
      const healthy = await scrapeWeb(app);
      expect({ redis: up(healthy, 'redis'), waiting: sampleValue(healthy, 'scim_queue_jobs', { queue: 'projection', state: 'waiting' }) }).toEqual({ redis: 1, waiting: 0 });

      redis.pause();
      for (let scrape = 0; scrape < 2; scrape += 1) {
        const started = Date.now();
        const stalled = await scrapeWeb(app);
        const elapsedMs = Date.now() - started;
        expect({ fast: elapsedMs < 2000, redis: up(stalled, 'redis'), mongodb: up(stalled, 'mongodb'), queueFigures: stalled.filter((s) => s.name === 'scim_queue_jobs') }).toEqual({
          fast: true,
          redis: 0,
          mongodb: 1,
          queueFigures: [],
        });
        expect(sampleValue(stalled, 'scim_projection_due_records', { state: 'pending' })).toBe(0);
      }

      redis.resume();
      const recovered = await eventually(() => scrapeWeb(app), (samples) => up(samples, 'redis') === 1);
      expect(sampleValue(recovered, 'scim_queue_jobs', { queue: 'projection', state: 'waiting' })).toBe(0);
    } finally {
      redis.resume();
      await producer.close().catch(() => undefined);
      stalledClient.disconnect();
      await redis.stop();
    }
  });
});
