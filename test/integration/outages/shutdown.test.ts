import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { connectDatabase, type Database } from '../../../src/db/connect';
import { freePort } from '../../../dev/services/free-port';
import { spawnManaged, type ManagedChild } from '../../../dev/services/managed-child';
import { dropDatabase, freshDatabaseName, testMongoKind, testMongoUri } from '../../support/database';
import { freshQueueName, testRedisUrl } from '../../support/redis';
import { eventually } from '../../support/eventually';
import { privateFerretDb, privateRedis } from '../../support/private-servers';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { procfileArgs } from '../../../scripts/procfile';

const ROOT = path.join(__dirname, '..', '..', '..');
const onFerretDb = testMongoKind() === 'ferretdb' ? it : it.skip;

const withDatabase = (uri: string, dbName: string) => Object.assign(new URL(uri), { pathname: `/${dbName}` }).toString();

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- children need PATH, HOME and the like from the test's environment
  return { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', QUEUE_PREFIX: freshQueueName('shutdown'), ...extra };
}

const answers = (url: string) => fetch(url).then((r) => r.status, () => 0);

/**
 * The processes of a process group that still run, as "pid (name)". A process that ended after
 * its parent did waits as a zombie until init reaps it, which can take a moment (tsx's esbuild
 * helper, when its process exits): that one is not left running, so it does not count.
 */
function runningInGroup(pgid: number): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return []; // ended meanwhile
      }
      // "pid (name) state ppid pgrp …": the name may hold spaces and parentheses.
      const nameEnd = stat.lastIndexOf(')');
      const [state, , pgrp] = stat.slice(nameEnd + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' ? [`${pid} ${stat.slice(stat.indexOf('('), nameEnd + 1)}`] : [];
    });
}

async function startWeb(mongoUri: string, redisUrl: string): Promise<{ child: ManagedChild; base: string }> {
  const port = await freePort();
  const child = await spawnManaged('web', process.execPath, procfileArgs('web'), { cwd: ROOT, env: env({ MONGODB_URI: mongoUri, REDIS_URL: redisUrl, PORT: String(port) }) });
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => child.exitReason() ?? (await answers(`${base}/healthz`)), (s) => s === 200 || typeof s === 'string', 90_000);
  if (child.exitReason()) throw new Error(child.recentOutput());
  return { child, base };
}

/**
 * Every process ends within a bound on SIGTERM (src/lifecycle.ts), under traffic and when its
 * Redis or database is gone; `npm start` stops web and worker before the servers it embedded.
 * The bound is the jest timeout: a process that hung would fail the test by timing it out.
 */
describe('shutdown', () => {
  let database: Database;
  let dbName: string;
  let token: string;

  beforeAll(async () => {
    dbName = freshDatabaseName('outage_shutdown');
    database = await connectDatabase(testMongoUri(), dbName);
    ({ token } = await makeScimSetting(database.models, (await makeCompany(database.models))._id));
  });
  afterAll(async () => {
    await database?.connection.close();
    await dropDatabase(testMongoUri(), dbName);
  });

  it('web: SIGTERM under steady keep-alive traffic answers what is in flight and exits cleanly', async () => {
    const { child, base } = await startWeb(withDatabase(testMongoUri(), dbName), testRedisUrl());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const outcomes = { ok: 0, refused: 0, other: [] as string[] };
    let running = true;
    const request = () =>
      new Promise<void>((resolve) => {
        const req = http.get(`${base}/scim/v2/Users?count=1`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) outcomes.ok += 1;
            else outcomes.other.push(`status ${res.statusCode}`);
            resolve();
          });
          res.on('error', (err) => {
            outcomes.other.push(err.message);
            resolve();
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          // After close, new connections are refused and a keep-alive socket the server closed is reset.
          if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') outcomes.refused += 1;
          else outcomes.other.push(err.message);
          if (err.code === 'ECONNREFUSED') running = false;
          resolve();
        });
      });
    const loops = Array.from({ length: 8 }, async () => {
      while (running) await request();
    });
    await eventually(async () => outcomes.ok, (n) => n >= 50, 30_000);
    process.kill(child.pid, 'SIGTERM');
    const exited = await child.exited;
    running = false;
    await Promise.all(loops);
    agent.destroy();
    expect({ code: exited.code, other: outcomes.other }).toEqual({ code: 0, other: [] });
    expect(outcomes.ok).toBeGreaterThanOrEqual(50);
  });

  it('worker: SIGTERM after its Redis died ends the process', async () => {
    const redis = await privateRedis('worker-shutdown');
    const port = await freePort();
    const worker = await spawnManaged('worker', process.execPath, procfileArgs('worker'), {
      cwd: ROOT,
      env: env({ MONGODB_URI: withDatabase(testMongoUri(), dbName), REDIS_URL: redis.url, WORKER_HEALTH_PORT: String(port) }),
    });
    try {
      await eventually(async () => worker.exitReason() ?? (await answers(`http://127.0.0.1:${port}/readyz`)), (s) => s === 200 || typeof s === 'string', 60_000);
      expect(worker.exitReason()).toBeUndefined();
      await redis.kill();
      expect(await eventually(() => answers(`http://127.0.0.1:${port}/readyz`), (s) => s === 503)).toBe(503);
      process.kill(worker.pid, 'SIGTERM');
      const exited = await worker.exited;
      expect(exited.reason).toMatch(/exited with code [01]$/);
    } finally {
      await worker.stop();
      await redis.stop();
    }
  });

  onFerretDb('web: SIGTERM after its database died ends the process', async () => {
    const server = await privateFerretDb();
    const { child, base } = await startWeb(withDatabase(server.url, freshDatabaseName('shutdown_db')), testRedisUrl());
    try {
      await server.kill();
      expect(await eventually(() => answers(`${base}/readyz`), (s) => s === 503)).toBe(503);
      process.kill(child.pid, 'SIGTERM');
      const exited = await child.exited;
      expect(exited.reason).toMatch(/exited with code [01]$/);
    } finally {
      await child.stop();
      await server.stop();
    }
  });

  it('npm start: Ctrl-C while jobs run stops web and worker, then its Redis, and nothing is left', async () => {
    const port = await freePort();
    const start: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      // Its own process group, like a terminal's foreground job, so Ctrl-C can reach all of it.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: env({ MONGODB_URI: withDatabase(testMongoUri(), freshDatabaseName('npm_start')), PORT: String(port), WORKER_HEALTH_PORT: String(await freePort()) }),
    });
    let log = '';
    start.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => log, (text) => /web on http/.test(text) || start.exitCode !== null, 90_000);
      // The Tenant URL in the docs' form, on the port it was given.
      expect(log).toContain(`Tenant URL:   http://localhost:${port}/scim\n`);
      const startToken = /Secret token: (\S+)/.exec(log)?.[1];
      const redisPid = Number(/redis-server \S+ started \(pid (\d+)\)/.exec(log)?.[1]);
      expect(startToken).toBeDefined();
      expect(redisPid).toBeGreaterThan(0);
      const base = `http://127.0.0.1:${port}`;
      await eventually(() => answers(`${base}/healthz`), (s) => s === 200, 90_000);
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${base}/scim/v2/Users`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${startToken}`, 'Content-Type': 'application/scim+json' },
            body: JSON.stringify(oktaUser(`ctrl-c-${i}@example.com`)),
          }).then((r) => r.status),
        ),
      );
      expect(created).toEqual(created.map(() => 201));

      process.kill(-start.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      // Exit code 0: each closed against a Redis still running, within the bound (1 had it been cut short).
      expect(log).toMatch(/web stopped \(exit code 0\)/);
      expect(log).toMatch(/worker stopped \(exit code 0\)/);
      expect(runningInGroup(redisPid)).toEqual([]);
      expect(runningInGroup(start.pid!)).toEqual([]);
    } finally {
      if (start.exitCode === null) process.kill(-start.pid!, 'SIGKILL');
    }
  });
});
