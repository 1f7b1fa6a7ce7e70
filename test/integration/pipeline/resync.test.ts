import { randomUUID } from 'node:crypto';
import { resyncStatus, type ResyncStatus } from '../../../admin/scim-settings/resync-status';
import { startResync } from '../../../admin/scim-settings/settings-service';
import { settingResyncs } from '../../../src/store/setting-resyncs';
import { resyncSetting } from '../../../workers/projection/resync-setting';
import { TestSystem } from '../../support/system';
import { ENTERPRISE, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { createGroup, createUsers, makeTenancy, user, type Tenancy } from './support';

jest.setTimeout(90_000);

/**
 * A re-sync's progress and its end, as the console reads them (admin/scim-settings/resync-status.ts)
 * from what the re-sync job and the setting's projection store: its due records still present,
 * and the finish the projection stamps with figures counted from the re-sync's activity lines.
 */
describe('pipeline: a re-sync from request to finish', () => {
  let system: TestSystem;
  let tenancy: Tenancy;
  let client: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_resync', { workers: 1 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    tenancy = await makeTenancy(system);
    client = scimClient(system, tenancy.token);
  });

  const setting = async () => (await system.models.ScimSetting.findById(tenancy.scimSettingId))!;
  const status = async () => resyncStatus(system.models, system.producer.queues.maintenance, await setting());
  const finished = () => eventually(status, (s) => s.state === 'finished', 30_000);
  /** Runs the re-sync job of the current rules as the worker does, without projecting anything. */
  async function recordResync(): Promise<void> {
    const job = await system.producer.queues.maintenance.getJob(`resync-setting-${tenancy.scimSettingId.toHexString()}-r${(await setting()).rulesVersion}`);
    await resyncSetting(system.workerContext(), job!.data, new Date(job!.timestamp));
  }

  /** Four users in departments, two without one, and a SCIM group; all projected under the first rules (no grouping). */
  async function populate(): Promise<void> {
    const inDepartment = ['ada', 'grace', 'linus', 'mary'].map((name, i) => user(`${name}@example.com`, { [ENTERPRISE]: { department: i % 2 ? 'Sales' : 'Research' } }));
    const without = ['alan', 'edsger'].map((name) => user(`${name}@example.com`));
    const ids = await createUsers(client, [...inDepartment, ...without]);
    await createGroup(client, 'Everyone', ids);
    await system.idle();
  }

  it('says there is nothing to re-sync under a setting’s first rules', async () => {
    expect(await status()).toEqual({ state: 'none', rulesVersion: 1 });
  });

  it('follows a re-sync from its request through its due records to a finish with what changed', async () => {
    await populate();
    await system.stopWorkers();
    // What an edit of the grouping does: the rules change, and the re-sync is asked for.
    await system.models.ScimSetting.updateOne({ _id: tenancy.scimSettingId }, { $set: { groupingCriteria: 'department' } });
    await startResync(system.models, system.producer, await setting());
    const requested = await status();
    expect(requested).toMatchObject({ state: 'requested', rulesVersion: 2, jobState: 'waiting' });

    await recordResync();
    const running = await status();
    expect(running).toEqual({ state: 'running', rulesVersion: 2, requestedAt: (requested as { requestedAt: Date }).requestedAt, total: 7, due: 7, failing: 0, percent: 0 });

    system.startWorkers(1);
    const done = (await finished()) as Extract<ResyncStatus, { state: 'finished' }>;
    expect(done).toMatchObject({ users: 6, groups: 1, userTally: { reprojected: 6, changed: 4, failed: 0 }, groupTally: { reprojected: 1, changed: 0, failed: 0 } });
    expect(done.finishedAt.getTime()).toBeGreaterThanOrEqual(done.requestedAt.getTime());
    // Finished for good: nothing of it is due, and a later look tells the same.
    expect(await system.models.ProjectionDue.countDocuments({ scimSettingId: tenancy.scimSettingId })).toBe(0);
    await system.idle();
    expect(await status()).toEqual(done);
  });

  it('ends a re-sync whose user keeps failing, counting it as failed while its record waits for a retry', async () => {
    await populate();
    const poison = randomUUID();
    const now = new Date();
    // A stored SCIM user no projection can read.
    await system.models.ScimUserResource.collection.insertOne({
      _id: poison as never, companyId: tenancy.companyId, scimSettingId: tenancy.scimSettingId, version: 1, userName: 'poison@example.com',
      userNameKey: 'poison@example.com', externalId: null, active: true, data: '{"userName": truncated', created: now, lastModified: now, deleted: false,
    });
    await startResync(system.models, system.producer, await setting());
    const done = await finished();
    expect(done).toMatchObject({ users: 7, userTally: { reprojected: 6, changed: 0, failed: 1 }, groupTally: { reprojected: 1, changed: 0, failed: 0 } });
    const waiting = await system.models.ProjectionDue.collection.findOne({ resourceId: poison });
    expect(waiting).toMatchObject({ resync: 2 });
    expect(waiting?.attempts).toBeGreaterThan(0);
  });

  it('finishes two re-syncs asked for one after the other, each with its own figures', async () => {
    await populate();
    await system.stopWorkers();
    await startResync(system.models, system.producer, await setting());
    await recordResync();
    await system.models.ScimSetting.updateOne({ _id: tenancy.scimSettingId }, { $set: { groupingCriteria: 'department' } });
    await startResync(system.models, system.producer, await setting());
    await recordResync();
    system.startWorkers(1);
    // Both re-syncs' records of a resource are answered by one projection under the newest rules.
    const second = await finished();
    expect(second).toMatchObject({ rulesVersion: 3, userTally: { reprojected: 6, changed: 4, failed: 0 } });
    const first = await eventually(() => settingResyncs.find(system.models, tenancy.tenant, 2), (r) => r?.finishedAt != null);
    expect(first).toMatchObject({ users: 6, groups: 1, userTally: { reprojected: 6, changed: 4, failed: 0 }, groupTally: { reprojected: 1 } });
  });

  it('stamps a re-sync finished when its records were all projected before it was stored (the due sweep wakes it)', async () => {
    await system.stopWorkers();
    await system.models.ScimSetting.updateOne({ _id: tenancy.scimSettingId }, { $inc: { rulesVersion: 1 } });
    // Stored with nothing left due and no wake-up queued: only the sweep can bring its projection round.
    await settingResyncs.recorded(system.models, tenancy.tenant, { rulesVersion: 2, requestedAt: new Date(), recordedAt: new Date(), users: 0, groups: 0 });
    expect(await status()).toMatchObject({ state: 'running', due: 0, total: 0, percent: 100 });
    system.startWorkers(1);
    expect(await finished()).toMatchObject({ state: 'finished', userTally: { reprojected: 0, changed: 0, failed: 0 } });
  });

  it('tells when the current rules have no re-sync recorded or queued', async () => {
    await system.models.ScimSetting.updateOne({ _id: tenancy.scimSettingId }, { $inc: { rulesVersion: 1 } });
    expect(await status()).toEqual({ state: 'notRecorded', rulesVersion: 2, jobState: null, queueReachable: true });
  });
});
