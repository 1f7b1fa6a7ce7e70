import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TestSystem } from '../../support/system';
import { defaultQueueNames } from '../../../src/queue/producer';
import { wakeProjection } from '../../../src/store/outbox';
import { projectionLeaseKey } from '../../../workers/projection/project-setting';
import { ScimUserStore } from '../../../src/store/scim-users';
import { ENTERPRISE } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { makeTenancy, user } from './support';
import { procfileArgs } from '../../../scripts/procfile';

jest.setTimeout(90_000);

/** Enough that the worker is killed part-way through its batch, with users left to write. */
const USERS = 2600;
const ROOT = path.join(__dirname, '..', '..', '..');

/** The real `worker:` process (Procfile), on the system's database and current queues. */
function startWorkerProcess(system: TestSystem): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, procfileArgs('worker'), {
    cwd: ROOT,
    env: system.workerProcessEnv({ WORKER_CONCURRENCY: '8', LOG_LEVEL: 'warn', DUE_SWEEP_INTERVAL_MS: '200', PROJECTION_LEASE_MS: '10000', WORKER_LOCK_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output.slice(-4000) };
}

describe('pipeline: a worker killed mid-batch', () => {
  let system: TestSystem;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_crash', { workers: 0, env: { PROJECTION_LEASE_MS: '10000' } });
  });
  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await system.stop();
  });

  // Guards: the setting's lease dying with its holder (it lapses, PROJECTION_LEASE_MS), the due
  // records outliving the worker, the due sweep waking the setting again, and idempotent batches
  // (a replayed batch writes the same target users and activity lines: nothing is doubled).
  it('loses nothing and doubles nothing when the worker process is SIGKILLed during the projection', async () => {
    const prefix = `crash-${process.pid}-${randomBytes(3).toString('hex')}`;
    await system.freshQueues({ prefix, names: defaultQueueNames });
    const tenancy = await makeTenancy(system, { groupingCriteria: 'department' });
    const store = new ScimUserStore(system.models);
    const ids: string[] = [];
    // What the intake does for each POST: the due record and the user; the wake-up comes once.
    for (let i = 0; i < USERS; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, USERS - i) }, (_, j) => store.create(tenancy.tenant, user(`crash${i + j}@example.com`, { [ENTERPRISE]: { department: `Dept ${(i + j) % 5}` } }), `crash-${i + j}`)),
      );
      ids.push(...batch.map((doc) => doc._id));
    }
    await wakeProjection(system.producer, system.logger, tenancy.tenant);

    const worker = startWorkerProcess(system);
    child = worker.child;
    const exited = new Promise((resolve) => worker.child.once('exit', resolve));
    const projected = () => system.models.TargetUser.collection.countDocuments({ companyId: tenancy.companyId });
    const before = await eventually(projected, (n) => n > 0, 60_000);
    if (before === 0) throw new Error(`worker process projected nobody in 60 s:\n${worker.output()}`);
    worker.child.kill('SIGKILL');
    await exited;

    // Killed holding the setting's lease, with work left.
    expect(await system.models.ScimUserResource.db.collection('scim_write_locks').countDocuments({ _id: projectionLeaseKey(tenancy.tenant) as never })).toBe(1);
    expect(await projected()).toBeLessThan(USERS);
    expect(await system.models.ProjectionDue.countDocuments({ scimSettingId: tenancy.scimSettingId })).toBeGreaterThan(0);

    // The dead worker's wake-up job stays active (and new wake-ups are dropped as its duplicates)
    // until BullMQ's stalled check frees it: WORKER_LOCK_MS, 2 s here, then this worker's check.
    system.startWorkers(1, { stalledIntervalMs: 500 });
    await system.idle(60_000);

    const targets = await system.models.TargetUser.collection.find({ companyId: tenancy.companyId }).toArray();
    expect(targets).toHaveLength(USERS);
    const groups = await system.models.TargetGroup.collection.find({ companyId: tenancy.companyId }).toArray();
    expect(groups.map((g) => g.name).sort()).toEqual([0, 1, 2, 3, 4].map((d) => `Dept ${d}`));
    const groupName = new Map(groups.map((g) => [g._id.toHexString(), g.name]));
    const byId = new Map(targets.map((t) => [t.scimUserId as string, t]));
    const wrong = ids.flatMap((id, i) => {
      const target = byId.get(id);
      const shown = {
        userName: target?.userName,
        department: target?.department,
        version: target?.sync.version,
        groups: (target?.groupIds ?? []).map((g: { toHexString(): string }) => groupName.get(g.toHexString())),
      };
      const wanted = { userName: `crash${i}@example.com`, department: `Dept ${i % 5}`, version: 1, groups: [`Dept ${i % 5}`] };
      return JSON.stringify(shown) === JSON.stringify(wanted) ? [] : [{ shown, wanted }];
    });
    expect(wrong).toEqual([]);
    // One activity line per user, however many times its batch ran (a replay finds the users
    // the dead worker wrote already right: "unchanged").
    const lines = await system.models.SyncActivity.collection.find({ scimSettingId: tenancy.scimSettingId }, { projection: { resourceId: 1, outcome: 1 } }).toArray();
    expect(lines).toHaveLength(USERS);
    expect(new Set(lines.map((l) => l.resourceId)).size).toBe(USERS);
    expect(lines.every((l) => l.outcome === 'applied' || l.outcome === 'unchanged')).toBe(true);
    expect(await system.models.ProjectionDue.countDocuments({ scimSettingId: tenancy.scimSettingId })).toBe(0);
  });
});
