import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { testRedisUrl } from '../../support/redis';
import { ProjectionLocks } from '../../../workers/projection-lock';
import { projectionJobId } from '../../../src/queue/contracts';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { activitiesOf, breakSetting, createUsers, expectStatus, failedOnce, makeTenancy, targetUserOf, user, type Tenancy } from './support';

const PATCHES = 50;
jest.setTimeout(90_000);

describe('pipeline: order per resource, duplicates and replays', () => {
  let system: TestSystem;
  let tenancy: Tenancy;
  let client: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_ordering', { workers: 3, concurrency: 8 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    tenancy = await makeTenancy(system, { groupingCriteria: 'department' });
    client = scimClient(system, tenancy.token);
  });

  const department = (hot: number, i: number) => `Dept ${hot}-${i % 7}`;
  const setDepartmentAndTitle = (id: string, dept: string, title: string) =>
    expectStatus(client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: dept }, { op: 'replace', path: 'title', value: title })), 200);

  /** PATCHes each hot user PATCHES times in sequence, all hot users at once, with other users' writes in between. */
  async function hammer(hot: string[], others: string[], during?: (i: number) => Promise<void>) {
    const last = new Map<string, string>();
    await Promise.all([
      ...hot.map(async (id, h) => {
        for (let i = 1; i <= PATCHES; i += 1) {
          if (h === 0) await during?.(i);
          await setDepartmentAndTitle(id, department(h, i), `Title ${h}-${i}`);
        }
      }),
      (async () => {
        for (let i = 0; i < PATCHES; i += 1) {
          const id = others[i % others.length] as string;
          await expectStatus(client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: `Other ${i}` })), 200);
          last.set(id, `Other ${i}`);
        }
      })(),
    ]);
    return last;
  }

  /**
   * Samples the hot users' target users while the writes go on. Their `sync.version` must
   * never go down: a projection that read an older version and wrote after a newer one did
   * would show up here even when a later job hides it in the final state.
   */
  function watchVersions(ids: string[]) {
    const seen = new Map<string, number>();
    const regressions: string[] = [];
    let running = true;
    const sampling = (async () => {
      while (running) {
        const targets = await system.models.TargetUser.collection.find({ scimUserId: { $in: ids } }, { projection: { scimUserId: 1, 'sync.version': 1 } }).toArray();
        for (const t of targets) {
          const version = (t.sync as { version: number }).version;
          const previous = seen.get(t.scimUserId as string) ?? 0;
          if (version < previous) regressions.push(`${String(t.scimUserId)}: v${previous} → v${version}`);
          seen.set(t.scimUserId as string, version);
        }
        // The sampling interval (this samples for as long as the writes go on; it waits for nothing).
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    return async () => {
      running = false;
      await sampling;
      return regressions;
    };
  }

  async function expectFinalState(hot: string[], othersLast: Map<string, string>) {
    const groups = await system.models.TargetGroup.collection.find({ companyId: tenancy.companyId }).toArray();
    const groupName = (id: Types.ObjectId) => groups.find((g) => g._id.equals(id))?.name;
    for (const [h, id] of hot.entries()) {
      const resource = await system.models.ScimUserResource.collection.findOne({ _id: id as never });
      const target = await targetUserOf(system, id);
      expect({ department: target?.department, title: target?.title, version: target?.sync.version, groups: (target?.groupIds as Types.ObjectId[]).map(groupName) }).toEqual({
        department: department(h, PATCHES),
        title: `Title ${h}-${PATCHES}`,
        version: resource?.version,
        groups: [department(h, PATCHES)],
      });
    }
    for (const [id, title] of othersLast) expect((await targetUserOf(system, id))?.title).toBe(title);
    // Exactly one group per department value, however many projections raced to make it.
    expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
  }

  // Guards: the projection lock (FerretDB v1 has no compare-and-set, so only one projection per
  // user at a time keeps an older read from landing last), the CAS on sync.rev (the same on
  // MongoDB) and projecting the latest stored version, not the job's. Without the lock this
  // fails in about half the runs here (a sampled regression or a stale final state).
  it('applies 50 sequential PATCHes per user in order, with 3 workers × 8 and other users written in between', async () => {
    const hot = await createUsers(client, [0, 1, 2, 3, 4, 5].map((h) => user(`hot${h}@example.com`, { [ENTERPRISE]: { department: 'Start' } })));
    const others = await createUsers(client, Array.from({ length: 8 }, (_, i) => user(`other${i}@example.com`)));
    await system.idle();
    const regressions = watchVersions(hot);
    const othersLast = await hammer(hot, others);
    await system.idle();
    expect(await regressions()).toEqual([]);
    await expectFinalState(hot, othersLast);
    expect(await system.producer.queues.projection.getFailedCount()).toBe(0);
  });

  // Guards: the same, when jobs fail for real mid-stream and their retries run after newer
  // versions were projected (a retry must not bring an older state back).
  it('keeps the order when jobs fail and are retried after newer ones succeeded', async () => {
    const hot = await createUsers(client, [0, 1].map((h) => user(`retry${h}@example.com`, { [ENTERPRISE]: { department: 'Start' } })));
    const others = await createUsers(client, Array.from({ length: 4 }, (_, i) => user(`bystander${i}@example.com`)));
    await system.idle();
    const regressions = watchVersions(hot);
    let restore: (() => Promise<void>) | undefined;
    const othersLast = await hammer(hot, others, async (i) => {
      if (i === 15) restore = await breakSetting(system, tenancy.scimSettingId);
      if (i === 30) {
        // Both hot users' jobs have failed at least once before the setting is repaired.
        const failing = await eventually(() => failedOnce(system.producer.queues.projection), (ids) => hot.every((id) => ids.has(id)), 30_000);
        expect(hot.filter((id) => !failing.has(id))).toEqual([]);
        await restore?.();
      }
    });
    await system.idle();
    expect(await regressions()).toEqual([]);
    await expectFinalState(hot, othersLast);

    const queue = system.producer.queues.projection;
    expect(await queue.getFailedCount()).toBe(0);
    const retried = (await queue.getCompleted(0, -1)).filter((job) => job.attemptsMade > 1);
    expect(retried.length).toBeGreaterThan(0);
    // Some retries ran after a newer version had been projected: they had nothing left to do.
    const skipped = await system.models.SyncActivity.collection.countDocuments({ jobId: { $in: retried.map((j) => j.id) }, outcome: 'skipped' });
    expect(skipped).toBeGreaterThan(0);
  });

  // Guards: the projection lock itself, deterministically: a job waits (without using up its
  // attempts) while a live job projects the same user, and takes over from a dead one.
  it('projects one user at a time, and takes a dead job\'s place at once', async () => {
    const redis = new Redis(testRedisUrl());
    try {
      const queueKey = `${system.queuePrefix}:${system.queueNames.projection}`;
      const locks = new ProjectionLocks(redis, queueKey);
      const holder = { id: 'holder' } as Job;
      await system.stopWorkers();
      const [id] = await createUsers(client, [user('locked@example.com')]);
      if (!id) throw new Error('no user');
      /** Takes the user's projection lock as `holder` until `until` settles; resolves once it is held. */
      const holdLock = (until: Promise<void>) =>
        new Promise<{ held: Promise<void> }>((resolve, reject) => {
          const held = locks.run(holder, 'holder-token', 'project-user', id, async () => {
            resolve({ held });
            await until;
          });
          held.catch(reject);
        });

      // A live holder: its own BullMQ lock exists and holds its token.
      await redis.set(`${queueKey}:holder:lock`, 'holder-token');
      let release: () => void = () => undefined;
      const { held } = await holdLock(new Promise<void>((resolve) => (release = resolve)));
      system.startWorkers(1);
      // The user's job has come twice, found the lock held by a live job, and stepped aside.
      const jobId = projectionJobId('project-user', id, 1);
      const waiting = await eventually(() => system.producer.queues.projection.getJob(jobId), (job) => (job?.attemptsStarted ?? 0) >= 2);
      expect(waiting?.attemptsStarted).toBeGreaterThanOrEqual(2);
      expect(await targetUserOf(system, id)).toBeNull();
      // Stepping aside uses no attempt.
      expect(waiting?.attemptsMade).toBe(0);
      release();
      await held;
      await system.idle();
      expect(await targetUserOf(system, id)).toMatchObject({ userName: 'locked@example.com' });

      // A dead holder (its BullMQ lock is gone): the next job does not wait for it.
      await setDepartmentAndTitle(id, 'Dead', 'Holder');
      await system.stopWorkers();
      await setDepartmentAndTitle(id, 'Taken', 'Over');
      await redis.del(`${queueKey}:holder:lock`);
      // Held, and never released.
      await holdLock(new Promise<void>(() => undefined));
      system.startWorkers(1);
      await system.idle();
      expect(await targetUserOf(system, id)).toMatchObject({ department: 'Taken', title: 'Over' });
    } finally {
      redis.disconnect();
    }
  });

  // Guards: the jobId `<name>-<id>-v<version>` (a duplicate enqueue is dropped) and the
  // version check on sync.version (a replay under a new job id has no effect).
  it('gives a duplicated or replayed job no second effect', async () => {
    const [id] = await createUsers(client, [user('replay@example.com', { [ENTERPRISE]: { department: 'Ops' } })]);
    if (!id) throw new Error('no user');
    await setDepartmentAndTitle(id, 'Ops', 'First');
    await setDepartmentAndTitle(id, 'Sales', 'Second');
    await system.idle();
    const before = await targetUserOf(system, id);
    expect(before).toMatchObject({ department: 'Sales', title: 'Second', sync: expect.objectContaining({ version: 3 }) });
    const activityCount = (await eventually(() => activitiesOf(system, id), (a) => a.length === 3)).length;
    expect(activityCount).toBe(3);

    const queue = system.producer.queues.projection;
    const payload = (version: number) => ({ companyId: tenancy.companyId.toHexString(), scimSettingId: tenancy.scimSettingId.toHexString(), resourceId: id, version, operation: 'patch' as const });

    // The same job again: BullMQ still holds the finished job under that id, so nothing is queued.
    const original = await queue.getJob(projectionJobId('project-user', id, 3));
    await system.producer.enqueue('projection', 'project-user', payload(3), { jobId: projectionJobId('project-user', id, 3) });
    await system.idle();
    expect((await queue.getJob(projectionJobId('project-user', id, 3)))?.timestamp).toBe(original?.timestamp);
    expect(await activitiesOf(system, id)).toHaveLength(activityCount);

    // Replays under new ids, the newest version and older ones, after it was projected.
    const replays = ['replay-v3', 'replay-v1', 'replay-v2'];
    await system.producer.enqueue('projection', 'project-user', payload(3), { jobId: 'replay-v3' });
    await system.producer.enqueue('projection', 'project-user', payload(1), { jobId: 'replay-v1' });
    await system.producer.enqueue('projection', 'project-user', payload(2), { jobId: 'replay-v2' });
    await system.idle();

    expect(await targetUserOf(system, id)).toEqual(before);
    const replayed = await eventually(
      () => system.models.SyncActivity.collection.find({ jobId: { $in: replays } }).toArray(),
      (a) => a.length === replays.length,
    );
    expect(replayed.map((a) => [a.jobId, a.outcome]).sort()).toEqual(replays.map((jobId) => [jobId, 'skipped']).sort());
    expect(await system.models.TargetUser.collection.countDocuments({ scimUserId: id })).toBe(1);
  });
});
