import { randomUUID } from 'node:crypto';
import { TestSystem } from '../../support/system';
import { reconcilePending, PENDING_GRACE_MS } from '../../../workers/reconciler';
import { ScimUserStore } from '../../../src/store/scim-users';
import { projectionJobId } from '../../../src/queue/contracts';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { activitiesOf, createUser, createUsers, makeTenancy, targetUserOf, user, type Tenancy } from './support';

jest.setTimeout(60_000);

describe('pipeline: failures and lost jobs', () => {
  let system: TestSystem;
  let tenancy: Tenancy;
  let client: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_failures', { workers: 1, concurrency: 4 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    tenancy = await makeTenancy(system);
    client = scimClient(system, tenancy.token);
  });

  /** A SCIM user whose stored document no projection can read: a poison resource. */
  async function poisonUser(): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await system.models.ScimUserResource.collection.insertOne({
      _id: id as never,
      companyId: tenancy.companyId,
      scimSettingId: tenancy.scimSettingId,
      version: 1,
      userName: `poison-${id}@example.com`,
      userNameKey: `poison-${id}@example.com`,
      externalId: null,
      active: true,
      data: '{"userName": truncated',
      created: now,
      lastModified: now,
      deleted: false,
    });
    return id;
  }

  const payload = (resourceId: string, version = 1) => ({
    companyId: tenancy.companyId.toHexString(),
    scimSettingId: tenancy.scimSettingId.toHexString(),
    resourceId,
    version,
    operation: 'create' as const,
  });

  // Guards: the final-failure handler in workers/runtime.ts (sync activity 'failed'), BullMQ's
  // retry backoff (a failing job steps aside instead of holding a worker), removeOnFail keeping it.
  it('records a job that fails for good and lets every other resource through meanwhile', async () => {
    await system.stopWorkers();
    const poison = await poisonUser();
    const queue = system.producer.queues.projection;
    // Fewer attempts than production's 8, the same code path. The backoff outlasts the test: the
    // others are checked while the poison job waits for a retry, then each retry is let run.
    const jobId = projectionJobId('project-user', poison, 1);
    await queue.add('project-user', payload(poison), { jobId, attempts: 3, backoff: { type: 'fixed', delay: 10 * 60_000 } });
    const others = await createUsers(client, Array.from({ length: 20 }, (_, i) => user(`bystander${i}@example.com`)));

    // One worker slot, and the poison job first in line: had it held the slot, everyone behind it would starve.
    system.startWorkers(1, { concurrency: 1 });
    await eventually(() => system.models.TargetUser.collection.countDocuments({ companyId: tenancy.companyId }), (n) => n === others.length);
    for (const id of others) expect(await targetUserOf(system, id)).toMatchObject({ scimUserId: id, status: 'active' });
    // All 20 were projected while the poison job, failed once, waited for its retry.
    const poisonState = async () => {
      const job = await queue.getJob(jobId);
      return { state: await job?.getState(), attemptsMade: job?.attemptsMade };
    };
    for (const attemptsMade of [1, 2]) {
      expect(await eventually(poisonState, (s) => s.state === 'delayed' && s.attemptsMade === attemptsMade)).toEqual({ state: 'delayed', attemptsMade });
      await (await queue.getJob(jobId))?.promote();
    }

    await system.idle();
    const failedJob = await queue.getJob(jobId);
    expect(await failedJob?.isFailed()).toBe(true);
    expect(failedJob?.attemptsMade).toBe(3);
    expect(failedJob?.failedReason).toMatch(/JSON/);
    const activity = await eventually(() => activitiesOf(system, poison), (a) => a.length > 0);
    expect(activity).toEqual([expect.objectContaining({ outcome: 'failed', jobId, version: 1, resourceType: 'User', error: expect.stringMatching(/JSON/) })]);
    expect(await targetUserOf(system, poison)).toBeNull();
    // Its failed job leaves with this test's queues; the resource must not haunt the next tests.
    await system.models.ScimUserResource.collection.deleteOne({ _id: poison as never });
  });

  // Guards: jobs whose payload breaks the contract fail at once (UnrecoverableError), not 8 times.
  it('fails a job whose payload breaks its contract at its first attempt', async () => {
    await system.producer.queues.projection.add('project-user', { resourceId: 42 }, { jobId: 'bad-payload', attempts: 5, backoff: { type: 'fixed', delay: 5000 } });
    await system.idle();
    const job = await system.producer.queues.projection.getJob('bad-payload');
    expect(await job?.isFailed()).toBe(true);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/contract/);
  });

  // Guards: the reconciler. Without it these writes are never projected.
  it('projects writes whose enqueue was lost once the reconciler runs', async () => {
    const store = new ScimUserStore(system.models);
    // Written as the intake writes, but no job was queued (Redis failed right after the write).
    const lost = await store.create(tenancy.tenant, user('lost@example.com', { [ENTERPRISE]: { department: 'Lost' } }));
    const changed = await createUser(client, user('changed@example.com'));
    await system.idle();
    await system.stopWorkers();
    const patched = await store.patch(tenancy.tenant, changed, patchOp({ op: 'replace', path: 'title', value: 'Unqueued' }).Operations as never);
    expect(patched.changed).toBe(true);
    expect(await targetUserOf(system, lost._id)).toBeNull();
    expect((await targetUserOf(system, changed))?.title).toBeNull();

    // Within the grace period a write's own job may still be on its way: nothing is queued.
    // (Other tests' resources share the database: only this setting's jobs are looked at.)
    const queuedHere = async () =>
      (await system.producer.queues.projection.getWaiting())
        .filter((job) => job.data.scimSettingId === tenancy.scimSettingId.toHexString())
        .map((job) => [job.data.resourceId, job.data.version, job.data.operation])
        .sort();
    await reconcilePending(system.models, system.producer, system.logger);
    expect(await queuedHere()).toEqual([]);

    const later = Date.now() + PENDING_GRACE_MS + 1000;
    await reconcilePending(system.models, system.producer, system.logger, later);
    expect(await queuedHere()).toEqual([[lost._id, 1, 'reconcile'], [changed, 2, 'reconcile']].sort());
    system.startWorkers(1);
    await system.idle();
    expect(await targetUserOf(system, lost._id)).toMatchObject({ userName: 'lost@example.com', department: 'Lost', sync: expect.objectContaining({ version: 1 }) });
    expect(await targetUserOf(system, changed)).toMatchObject({ title: 'Unqueued', sync: expect.objectContaining({ version: 2 }) });
    // Projected now: a later run finds nothing to do.
    await system.stopWorkers();
    await reconcilePending(system.models, system.producer, system.logger, later);
    expect(await queuedHere()).toEqual([]);
  });
});
