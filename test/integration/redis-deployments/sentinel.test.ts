import request from 'supertest';
import { Redis } from 'ioredis';
import { TestSystem } from '../../support/system';
import { privateRedisSentinel, type PrivateRedisDeployment } from '../../support/private-redis-deployments';
import { scimClient } from '../../support/scim-client';
import { makeCompany, makeScimSetting } from '../../factories';
import { createUsers, entraUser, targetGroups } from '../groups/support';

jest.setTimeout(120_000);

/**
 * The product on a master found through Sentinel: REDIS_URL names only the Sentinel and the
 * master's name, so every client reaches the master by asking the Sentinel for it.
 */
describe('through Redis Sentinel', () => {
  let sentinel: PrivateRedisDeployment;
  let system: TestSystem;

  beforeAll(async () => {
    sentinel = await privateRedisSentinel('pipeline');
    system = await TestSystem.start('redis_sentinel', { redisUrl: sentinel.url });
  });
  afterAll(async () => {
    await system?.stop();
    await sentinel?.stop();
  });

  it('connects with redis-sentinel://…/<masterName>, and a create is projected', async () => {
    expect(sentinel.url).toMatch(/^redis-sentinel:\/\/127\.0\.0\.1:\d+\/scim-master$/);
    const client = system.producer.redis;
    if (!(client instanceof Redis)) throw new Error('the system is not on a Redis client');
    expect(client.options.sentinels).toHaveLength(1);
    expect(client.options.name).toBe('scim-master');

    const companyId = (await makeCompany(system.models))._id;
    const { token } = await makeScimSetting(system.models, companyId, { groupingCriteria: 'department' });
    await createUsers(scimClient(system, token), [entraUser('eve@sentinel.example', 'Research')]);
    await system.idle();
    expect(await targetGroups(system, companyId)).toEqual({ 'groupBy:Research': ['eve@sentinel.example'] });

    const ready = await request(system.app).get('/readyz');
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 200, body: { status: 'ready', redis: true, mongodb: true } });
  });
});
