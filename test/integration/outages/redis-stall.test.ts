import request from 'supertest';
import type { Express } from 'express';
import { TestSystem } from '../../support/system';
import { eventually } from '../../support/eventually';
import { privateRedis, type PrivateServer } from '../../support/private-servers';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { parseRedisUrl } from '../../../src/config';
import { createRedis, waitForRedis } from '../../../src/queue/redis';
import { Producer } from '../../../src/queue/producer';

/**
 * A stalled Redis (SIGSTOP) keeps its TCP connections open, so nothing looks broken; the web
 * process must still answer every write, and truthfully: 503 with Retry-After once it knows,
 * and never hang for as long as the stall lasts. Each answer below arrives while Redis is
 * still stopped: a write that hung would time the test out.
 */
describe('web process while its Redis is stalled', () => {
  let system: TestSystem;
  let redis: PrivateServer;
  let producer: Producer;
  let app: Express;
  let token: string;

  beforeAll(async () => {
    system = await TestSystem.start('outage_redis_stall', { workers: 0 });
    redis = await privateRedis('stall');
    const client = createRedis(parseRedisUrl(redis.url), 'producer', system.logger);
    await waitForRedis(client);
    producer = new Producer(client, system.queueNames, system.queuePrefix, system.logger);
    app = system.intakeWith(producer);
    ({ token } = await makeScimSetting(system.models, (await makeCompany(system.models))._id));
  });
  afterAll(async () => {
    redis?.resume();
    await producer?.close().catch(() => undefined);
    producer?.redis.disconnect();
    await redis?.stop();
    await system?.stop();
  });

  const post = (userName: string) =>
    request(app).post('/scim/v2/Users').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json').send(JSON.stringify(oktaUser(userName)));
  const stored = (userName: string) => system.models.ScimUserResource.countDocuments({ userNameKey: userName });

  it('answers 503 with Retry-After, stores nothing, says so on /readyz, and recovers when Redis does', async () => {
    expect((await post('before@example.com')).status).toBe(201);
    expect((await request(app).get('/readyz')).status).toBe(200);

    redis.pause();
    // Sent at once: stored before the stall was noticed (the job is queued later by the
    // reconciler) or refused; either way answered while Redis is still stopped.
    expect([201, 503]).toContain((await post('during-stall@example.com')).status);

    await eventually(async () => producer.ready, (ready) => !ready);
    const refused = await post('refused@example.com');
    expect({ status: refused.status, retryAfter: refused.headers['retry-after'], type: refused.body.schemas }).toEqual({
      status: 503,
      retryAfter: expect.stringMatching(/^\d+$/),
      type: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    });
    expect(await stored('refused@example.com')).toBe(0);

    const readiness = await request(app).get('/readyz');
    expect({ status: readiness.status, body: readiness.body }).toEqual({ status: 503, body: { status: 'unavailable', redis: false, mongodb: true } });
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/scim/v2/Users').set('Authorization', `Bearer ${token}`)).status).toBe(200);

    redis.resume();
    await eventually(async () => producer.ready, (ready) => ready);
    expect((await post('after@example.com')).status).toBe(201);
    expect((await request(app).get('/readyz')).status).toBe(200);
  });
});
