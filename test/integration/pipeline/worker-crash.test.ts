import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TestSystem } from '../../support/system';
import { testRedisUrl } from '../../support/redis';
import { defaultQueueNames } from '../../../src/queue/producer';
import { queueProjection } from '../../../src/store/outbox';
import { ScimUserStore } from '../../../src/store/scim-users';
import { ENTERPRISE } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { makeTenancy, user } from './support';

jest.setTimeout(90_000);

const USERS = 300;
const ROOT = path.join(__dirname, '..', '..', '..');

/** The real `worker:` process (Procfile), on the system's database and current queues. */
function startWorkerProcess(system: TestSystem): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT,
    env: system.workerProcessEnv({ WORKER_CONCURRENCY: '8', LOG_LEVEL: 'warn', RECONCILE_INTERVAL_MS: '600000', WORKER_LOCK_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output.slice(-4000) };
}

describe('pipeline: a worker killed mid-batch', () => {
  let system: TestSystem;
  let redis: Redis;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_crash', { workers: 0 });
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    redis.disconnect();
    await system.stop();
  });

  // Guards: BullMQ's stalled-job recovery (a dead worker's active jobs run again), the
  // projection lock dying with its job's BullMQ lock, and idempotent projections (a job that
  // had written its target user before the kill skips, nothing is duplicated).
  it('loses nothing when the worker process is SIGKILLed while it processes a batch', async () => {
    const prefix = `crash-${process.pid}-${randomBytes(3).toString('hex')}`;
    await system.freshQueues({ prefix, names: defaultQueueNames });
    const tenancy = await makeTenancy(system, { groupingCriteria: 'department' });
    const store = new ScimUserStore(system.models);
    const ids: string[] = [];
    // What the intake does for each POST: store, then queue.
    for (let i = 0; i < USERS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, USERS - i) }, (_, j) => store.create(tenancy.tenant, user(`crash${i + j}@example.com`, { [ENTERPRISE]: { department: `Dept ${(i + j) % 5}` } }))),
      );
      for (const doc of batch) {
        await queueProjection(system.producer, system.logger, 'User', tenancy.tenant, doc._id, doc.version, 'create');
        ids.push(doc._id);
      }
    }

    const worker = startWorkerProcess(system);
    child = worker.child;
    const exited = new Promise((resolve) => worker.child.once('exit', resolve));
    const projected = () => system.models.TargetUser.collection.countDocuments({ companyId: tenancy.companyId });
    const before = await eventually(projected, (n) => n >= 40, 30_000);
    if (before < 40) throw new Error(`worker process projected ${before} users in 30 s:\n${worker.output()}`);
    worker.child.kill('SIGKILL');
    await exited;

    const queue = system.producer.queues.projection;
    const orphaned = await queue.getActive();
    // Killed mid-batch: it held jobs it never finished, and work was left for the next worker.
    expect(orphaned.length).toBeGreaterThan(0);
    expect(await projected()).toBeLessThan(USERS);

    // BullMQ frees a dead worker's jobs once their locks lapse (WORKER_LOCK_MS, 2 s here) and a
    // live worker's stalled check finds them (no sooner than the dead one's stalled interval, 1 s here).
    const queueKey = `${prefix}:${defaultQueueNames.projection}`;
    system.startWorkers(1, { stalledIntervalMs: 500, concurrency: 8 });
    await system.idle(30_000);

    const stalled = await Promise.all(orphaned.map((job) => redis.hget(`${queueKey}:${job.id}`, 'stc')));
    expect(stalled.every((count) => Number(count) >= 1)).toBe(true);
    expect(await queue.getFailedCount()).toBe(0);

    const targets = await system.models.TargetUser.collection.find({ companyId: tenancy.companyId }).toArray();
    expect(targets).toHaveLength(USERS);
    const groups = await system.models.TargetGroup.collection.find({ companyId: tenancy.companyId }).toArray();
    expect(groups.map((g) => g.name).sort()).toEqual([0, 1, 2, 3, 4].map((d) => `Dept ${d}`));
    const groupName = new Map(groups.map((g) => [g._id.toHexString(), g.name]));
    const byId = new Map(targets.map((t) => [t.scimUserId as string, t]));
    ids.forEach((id, i) => {
      const target = byId.get(id);
      expect({
        userName: target?.userName,
        department: target?.department,
        version: target?.sync.version,
        groups: (target?.groupIds ?? []).map((g: { toHexString(): string }) => groupName.get(g.toHexString())),
      }).toEqual({ userName: `crash${i}@example.com`, department: `Dept ${i % 5}`, version: 1, groups: [`Dept ${i % 5}`] });
    });
  });
});
