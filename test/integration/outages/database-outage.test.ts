import request from 'supertest';
import type { Express } from 'express';
import { connectDatabase, webDatabaseTimeouts, type Database } from '../../../src/db/connect';
import { createWebApp } from '../../../src/http/app';
import { loadConfig, parseRedisUrl } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { createRedis, waitForRedis } from '../../../src/queue/redis';
import { Producer } from '../../../src/queue/producer';
import { ScimUserStore } from '../../../src/store/scim-users';
import { ScimGroupStore } from '../../../src/store/scim-groups';
import { holdLock } from '../../../src/store/write-lock';
import { intakeMetrics } from '../../../src/metrics/intake-metrics';
import { eventually } from '../../support/eventually';
import { freshDatabaseName, testMongoKind } from '../../support/database';
import { freshQueueName, testRedisUrl } from '../../support/redis';
import { privateFerretDb, type PrivateServer } from '../../support/private-servers';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
// The private server is a FerretDB; where the suite runs on a real mongod there is none to kill.
const onFerretDb = testMongoKind() === 'ferretdb' ? describe : describe.skip;

/**
 * The web process against a database it loses: killed, then stalled. Every request is answered
 * 503 with Retry-After while the database is away (never 500, never a hang), and the IdP's
 * retry succeeds once it is back, even when the failed request held the user's write lock.
 */
onFerretDb('web process while its database is unreachable', () => {
  let server: PrivateServer;
  let database: Database;
  let producer: Producer;
  let app: Express;
  let token: string;
  let userId: string;

  beforeAll(async () => {
    server = await privateFerretDb();
    const url = new URL(server.url);
    url.pathname = `/${freshDatabaseName('outage_db')}`;
    database = await connectDatabase(url.toString(), undefined, webDatabaseTimeouts);
    const logger = createLogger('silent', 'test');
    const redis = createRedis(parseRedisUrl(testRedisUrl()), 'producer', logger);
    await waitForRedis(redis);
    producer = new Producer(redis, { projection: freshQueueName('projection'), maintenance: freshQueueName('maintenance') }, freshQueueName('outage'), logger);
    const models = database.models;
    const metrics = intakeMetrics({ queues: () => Object.values(producer.queues), models });
    app = createWebApp({ config: loadConfig({ NODE_ENV: 'test' }), logger, models, producer, users: new ScimUserStore(models), groups: new ScimGroupStore(models), metrics });
    ({ token } = await makeScimSetting(models, (await makeCompany(models))._id));
    const created = await scim('post', '/Users', oktaUser('kept@example.com'));
    expect(created.status).toBe(201);
    userId = created.body.id as string;
  });
  afterAll(async () => {
    server?.resume();
    await Promise.all(Object.values(producer?.queues ?? {}).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
    await producer?.close();
    await producer?.redis.quit();
    await database?.connection.dropDatabase().catch(() => undefined);
    await database?.connection.close(true);
    await server?.stop();
  });

  function scim(method: 'get' | 'post' | 'patch', path: string, body?: unknown) {
    const test = request(app)[method](`/scim/v2${path}`).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json');
    return body === undefined ? test : test.send(JSON.stringify(body));
  }
  const rename = (title: string) => scim('patch', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: title }] });

  function expectUnavailable(res: request.Response) {
    expect({ status: res.status, retryAfter: res.headers['retry-after'], schemas: res.body.schemas }).toEqual({
      status: 503,
      retryAfter: expect.stringMatching(/^\d+$/),
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    });
  }

  it('answers 503 with Retry-After while the database is killed, and serves again once it is back', async () => {
    await server.kill();
    expectUnavailable(await scim('post', '/Users', oktaUser('new@example.com')));
    expectUnavailable(await rename('While down'));
    expectUnavailable(await scim('get', `/Users/${userId}`));
    const readiness = await request(app).get('/readyz');
    expect({ status: readiness.status, body: readiness.body }).toEqual({ status: 503, body: { status: 'unavailable', redis: true, mongodb: false } });

    await server.restart();
    await eventually(async () => (await request(app).get('/readyz')).status, (status) => status === 200, 30_000);
    expect((await rename('After restart')).status).toBe(200);
    expect((await scim('post', '/Users', oktaUser('new@example.com'))).status).toBe(201);
  });

  it('releases a lock its holder could not release while the database was away, as soon as it is back', async () => {
    const models = database.models;
    const key = `project:${freshQueueName('lease')}`;
    const lease = await holdLock(models, key, 60_000, 20_000);
    if (!lease) throw new Error('lock not taken');
    await server.kill();
    await expect(lease.release()).rejects.toThrow();
    await server.restart();
    await eventually(async () => (await request(app).get('/readyz')).status, (status) => status === 200, 30_000);
    // Still held for most of its minute, as another process sees it...
    const locks = models.ScimUserResource.db.collection<{ _id: string; until: Date }>('scim_write_locks');
    expect((await locks.findOne({ _id: key }))?.until.getTime()).toBeGreaterThan(Date.now() + 30_000);
    // ...but this process, which took it, releases it first and takes it again at once.
    const again = await holdLock(models, key, 60_000, 20_000);
    expect(again).not.toBeNull();
    await again?.release();
    expect(await locks.countDocuments({ _id: key })).toBe(0);
  });

  it('answers 503 while the database is stalled, and the retry gets the write lock the failed request held', async () => {
    server.pause();
    expectUnavailable(await rename('While stalled'));
    server.resume();
    const retried = await rename('Retried');
    expect(retried.status).toBe(200);
    expect((await scim('get', `/Users/${userId}`)).body.title).toBe('Retried');
  });
});
