import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Express } from 'express';
import { TestSystem } from '../../support/system';
import { testRedisUrl } from '../../support/redis';
import { makeCompany, makeScimSetting } from '../../factories';
import { loadConfig } from '../../../src/config';
import { Producer } from '../../../src/queue/producer';
import { scimClient, scimError } from '../../support/scim-client';
import { systemEnv } from './support';

const LIMIT = 5;

/**
 * Failed bearer tokens are counted in Redis per (address, token prefix), and per address for
 * tokens that match no setting; a valid token is always served. Addresses come from
 * X-Forwarded-For only when TRUST_PROXY says so.
 */
describe('SCIM authentication: failed-token throttling', () => {
  let system: TestSystem;
  const redisClients: Redis[] = [];

  beforeAll(async () => {
    system = await TestSystem.start('scim_auth_throttling', { env: { ...systemEnv, TRUST_PROXY: 'loopback', AUTH_FAILURES_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(async () => {
    // quit() fails on a client that cannot reach its Redis ("away" below), and that client would
    // go on reconnecting for ever, keeping Jest from exiting: disconnect() stops it.
    await Promise.all(redisClients.map((c) => c.quit().catch(() => c.disconnect())));
    await system.stop();
  });
  beforeEach(async () => {
    await system.freshQueues();
  });

  const get = (app: Express, token: string, from?: string) => {
    const test = scimClient(system, token, { app: () => app }).get('/Users');
    return from === undefined ? test : test.set('X-Forwarded-For', from);
  };
  const statuses = async (app: Express, tokens: string[], from?: string) => {
    const out: number[] = [];
    for (const token of tokens) out.push((await get(app, token, from)).status);
    return out;
  };
  const wrongSecret = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  const unknownPrefix = (n: number) => `scim_${n.toString(16).padStart(12, '0')}_${'x'.repeat(43)}`;
  const times = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

  async function setting() {
    return makeScimSetting(system.models, (await makeCompany(system.models))._id);
  }

  /** Another web process's intake: its own Redis client, the same Redis keys. */
  async function secondWebProcess(overrides: Parameters<TestSystem['intakeWith']>[1] = {}): Promise<Express> {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redisClients.push(redis);
    await new Promise((resolve) => redis.once('ready', resolve));
    return system.intakeWith(new Producer(redis, system.queueNames, system.queuePrefix, system.logger), overrides);
  }

  it('answers 429 with a SCIM body past the limit of unknown tokens from one address, and serves a valid token from it', async () => {
    const { token } = await setting();
    expect(await statuses(system.app, times(LIMIT, unknownPrefix), '198.51.100.1')).toEqual(times(LIMIT, () => '401').map(Number));
    const limited = await get(system.app, unknownPrefix(99), '198.51.100.1');
    expect({ status: limited.status, body: limited.body }).toEqual({ status: 429, body: scimError(429) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toMatch(/^application\/scim\+json/);

    expect((await get(system.app, token, '198.51.100.1')).status).toBe(200);
    expect((await get(system.app, unknownPrefix(1), '198.51.100.2')).status).toBe(401);
  });

  it("counts a real prefix's wrong secrets per address and prefix: other tenants on that address are not refused", async () => {
    const a = await setting();
    const b = await setting();
    const from = '198.51.100.10';
    expect(await statuses(system.app, times(LIMIT + 1, () => wrongSecret(a.token)), from)).toEqual([...times(LIMIT, () => '401'), '429'].map(Number));
    expect((await get(system.app, a.token, from)).status).toBe(200);
    expect((await get(system.app, b.token, from)).status).toBe(200);
    expect((await get(system.app, wrongSecret(b.token), from)).status).toBe(401);
    expect((await get(system.app, wrongSecret(a.token), '198.51.100.11')).status).toBe(401);
    expect((await get(system.app, unknownPrefix(7), from)).status).toBe(401);
  });

  it('shares the counts between web processes through Redis', async () => {
    const other = await secondWebProcess();
    const from = '198.51.100.20';
    const answers = [];
    for (let i = 0; i < LIMIT + 1; i += 1) answers.push((await get(i % 2 === 0 ? system.app : other, unknownPrefix(i), from)).status);
    expect(answers).toEqual([...times(LIMIT, () => '401'), '429'].map(Number));
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const untrusting = await secondWebProcess({ config: loadConfig({ NODE_ENV: 'test', AUTH_FAILURES_PER_MINUTE: String(LIMIT) }) });
    const answers = await Promise.all(times(LIMIT + 1, (i) => String(i)).map(async (i) => (await get(untrusting, unknownPrefix(100 + Number(i)), `203.0.113.${i}`)).status));
    // Every forged address is the same loopback client: one of them crosses the limit.
    expect(answers.filter((s) => s === 429)).toHaveLength(1);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('logs the client address, never the token, on 401 and 429', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logged = await secondWebProcess({ logger: pino({ level: 'info' }, sink) });
    const { token } = await setting();
    const from = '198.51.100.30';
    await statuses(logged, [...times(LIMIT + 1, () => wrongSecret(token)), token], from);
    const byStatus = (status: number) => lines.filter((l) => (l.res as { status?: number } | undefined)?.status === status);
    expect(byStatus(401)).toHaveLength(LIMIT);
    expect(byStatus(429)).toHaveLength(1);
    for (const line of [...byStatus(401), ...byStatus(429)]) expect(line.clientAddress).toBe(from);
    expect(byStatus(200)).toHaveLength(1);
    expect(byStatus(200)[0]?.clientAddress).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain(token.slice(18, 40));
  });

  it('keeps counting in each process while Redis is away, and still serves valid tokens', async () => {
    const away = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    away.on('error', () => undefined);
    redisClients.push(away);
    const app = system.intakeWith(new Producer(away, system.queueNames, system.queuePrefix, system.logger));
    const { token } = await setting();
    const from = '198.51.100.40';
    expect(await statuses(app, times(LIMIT + 1, unknownPrefix), from)).toEqual([...times(LIMIT, () => '401'), '429'].map(Number));
    expect((await get(app, token, from)).status).toBe(200);
  });
});
