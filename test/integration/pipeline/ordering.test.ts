import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { projectSetting, projectionLeaseKey } from '../../../workers/projection/project-setting';
import { projectionDue } from '../../../src/store/projection-due';
import { wakeProjection } from '../../../src/store/outbox';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { activitiesOf, breakSetting, createUsers, expectStatus, failedProjections, makeTenancy, targetUserOf, user, type Tenancy } from './support';

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

  // Guards: one writer per setting (the setting's lease) and projecting the latest stored
  // version, whatever order writes and wake-ups come in: a batch that read an older state can
  // never land after a newer one, because no two batches of a setting overlap.
  it('applies 50 sequential PATCHes per user in order, with 3 workers × 8 and other users written in between', async () => {
    const hot = await createUsers(client, [0, 1, 2, 3, 4, 5].map((h) => user(`hot${h}@example.com`, { [ENTERPRISE]: { department: 'Start' } })));
    const others = await createUsers(client, Array.from({ length: 8 }, (_, i) => user(`other${i}@example.com`)));
    await system.idle();
    const regressions = watchVersions(hot);
    const othersLast = await hammer(hot, others);
    await system.idle();
    expect(await regressions()).toEqual([]);
    await expectFinalState(hot, othersLast);
  });

  // Guards: the same when the setting's projection fails for real mid-stream: its due records
  // stay, and once it is repaired the projection catches up with the latest state.
  it('keeps the order when projections fail and are retried after newer writes', async () => {
    const hot = await createUsers(client, [0, 1].map((h) => user(`retry${h}@example.com`, { [ENTERPRISE]: { department: 'Start' } })));
    const others = await createUsers(client, Array.from({ length: 4 }, (_, i) => user(`bystander${i}@example.com`)));
    await system.idle();
    const regressions = watchVersions(hot);
    let restore: (() => Promise<void>) | undefined;
    let failures = 0;
    const othersLast = await hammer(hot, others, async (i) => {
      if (i === 15) restore = await breakSetting(system, tenancy.scimSettingId);
      if (i === 30) {
        // The setting's projection has failed at least once before it is repaired.
        failures = await eventually(() => failedProjections(system, tenancy), (n) => n > 0, 30_000);
        await restore?.();
      }
    });
    expect(failures).toBeGreaterThan(0);
    await system.idle();
    expect(await regressions()).toEqual([]);
    await expectFinalState(hot, othersLast);
  });

  // Guards: the setting's lease (workers/projection/project-setting.ts): batches of one setting
  // never overlap, across workers, while two settings project side by side; a lease whose
  // holder died is taken over once it lapses, and a live one is waited for.
  it('runs one batch at a time per setting, across workers, and takes over a dead holder\'s lease', async () => {
    const second = await makeTenancy(system, { groupingCriteria: 'department' });
    const secondClient = scimClient(system, second.token);
    const runs: Array<{ setting: string; startedAt: number; endedAt: number }> = [];
    await system.stopWorkers();
    system.startWorkers(3, {}, (report) => runs.push({ setting: report.tenant.scimSettingId.toHexString(), startedAt: report.startedAt, endedAt: report.endedAt }));
    await Promise.all([
      createUsers(client, Array.from({ length: 60 }, (_, i) => user(`first${i}@example.com`)), 5),
      createUsers(secondClient, Array.from({ length: 60 }, (_, i) => user(`second${i}@example.com`)), 5),
    ]);
    await system.idle();
    const overlaps = runs.flatMap((a, i) => runs.slice(i + 1).filter((b) => a.setting === b.setting && a.startedAt < b.endedAt && b.startedAt < a.endedAt).map((b) => [a, b]));
    expect(overlaps).toEqual([]);
    expect(new Set(runs.map((r) => r.setting))).toEqual(new Set([tenancy.scimSettingId.toHexString(), second.scimSettingId.toHexString()]));
    expect(await system.models.TargetUser.collection.countDocuments({ scimSettingId: { $in: [tenancy.scimSettingId, second.scimSettingId] } })).toBe(120);

    // A live holder (another worker mid-batch): nothing of the setting is projected meanwhile.
    const locks = system.models.ScimUserResource.db.collection<{ _id: string; owner: string; until: Date }>('scim_write_locks');
    const key = projectionLeaseKey(tenancy.tenant);
    await locks.insertOne({ _id: key, owner: 'another worker', until: new Date(Date.now() + 60_000) });
    const [waiting] = await createUsers(client, [user('waits@example.com')]);
    await eventually(() => system.models.ProjectionDue.countDocuments({ resourceId: waiting }), (n) => n === 1);
    // The wake-up ran and stepped aside: the record is still there, the user not projected.
    await eventually(async () => (await system.producer.queues.projection.getJobCounts('waiting', 'active')) as Record<string, number>, (c) => c.waiting === 0 && c.active === 0);
    expect(await targetUserOf(system, waiting as string)).toBeNull();
    // Its holder died: the lease lapses, and the next sweep's wake-up takes it over.
    await locks.updateOne({ _id: key }, { $set: { until: new Date(Date.now() - 1) } });
    await system.idle();
    expect(await targetUserOf(system, waiting as string)).toMatchObject({ userName: 'waits@example.com' });
  });

  // Guards: projections computed from the latest stored state (a duplicate wake-up or a replayed
  // due record changes nothing) and activity lines named by their due record (no second line).
  it('gives a duplicated wake-up or a replayed write no second effect', async () => {
    const [id] = await createUsers(client, [user('replay@example.com', { [ENTERPRISE]: { department: 'Ops' } })]);
    if (!id) throw new Error('no user');
    await setDepartmentAndTitle(id, 'Ops', 'First');
    await setDepartmentAndTitle(id, 'Sales', 'Second');
    await system.idle();
    const before = await targetUserOf(system, id);
    expect(before).toMatchObject({ department: 'Sales', title: 'Second', sync: expect.objectContaining({ version: 3 }) });
    // One line per user and batch: writes that landed before their batch share its line.
    const activity = await activitiesOf(system, id);
    expect(activity.length).toBeGreaterThan(0);

    await wakeProjection(system.producer, system.logger, tenancy.tenant);
    await wakeProjection(system.producer, system.logger, tenancy.tenant);
    // The due records its batches finished, again, newest first (a replay after a crash). Each
    // line is named by the newest record of its batch: those are the records a replay brings back.
    const finished = activity.map((line) => Number(String(line._id).split(':').pop())).sort((a, b) => b - a);
    for (const version of finished) {
      await projectionDue.record(system.models, tenancy.tenant, { kind: 'User', resourceId: id, version, operation: version === 1 ? 'create' : 'patch', requestId: null });
    }
    await system.idle();

    expect(await targetUserOf(system, id)).toEqual(before);
    expect(await activitiesOf(system, id)).toEqual(activity);
    expect(await system.models.TargetUser.collection.countDocuments({ scimUserId: id })).toBe(1);
  });
  // A batch can read a user's tombstone before the DELETE's own due record is due to it (the
  // DELETE recorded it just after the batch looked). That record must still find the tombstone,
  // and be finished at once, not wait as a write still landing. Shown here by taking the record
  // out while the first batch runs; write-races.test.ts met it by chance.
  it('finishes a deletion whose record missed the batch that saw its tombstone, and a replay of both, at once', async () => {
    await system.stopWorkers();
    const [id] = await createUsers(client, [user('late-delete@example.com')]);
    if (!id) throw new Error('no user');
    await expectStatus(client.delete(`/Users/${id}`), 204);
    const deletion = await system.models.ProjectionDue.collection.findOneAndDelete({ resourceId: id, operation: 'delete' });
    if (!deletion) throw new Error('the DELETE recorded no due record');
    const ctx = system.workerContext();
    await projectSetting(ctx, tenancy.tenant);
    expect(await targetUserOf(system, id)).toMatchObject({ status: 'deleted', sync: expect.objectContaining({ version: 2 }) });

    await system.models.ProjectionDue.collection.insertOne(deletion);
    await projectSetting(ctx, tenancy.tenant);
    expect(await system.models.ProjectionDue.collection.find({ resourceId: id }).toArray()).toEqual([]);
    expect(await system.models.ScimUserResource.collection.countDocuments({ _id: id as never })).toBe(0);
    const activity = await activitiesOf(system, id);
    expect(activity.map((line) => line.operation)).toEqual([`POST /Users/${id}`, `DELETE /Users/${id}`]);

    // A replay after a crash (the tombstone already gone): finished by the target user's version.
    for (const [version, operation] of [[1, 'create'], [2, 'delete']] as const) {
      await projectionDue.record(system.models, tenancy.tenant, { kind: 'User', resourceId: id, version, operation, requestId: null });
    }
    await projectSetting(ctx, tenancy.tenant);
    expect(await system.models.ProjectionDue.collection.find({ resourceId: id }).toArray()).toEqual([]);
    expect(await activitiesOf(system, id)).toEqual(activity);
  });
});
