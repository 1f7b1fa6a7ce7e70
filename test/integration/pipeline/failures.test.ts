import { randomUUID } from 'node:crypto';
import { TestSystem } from '../../support/system';
import { projectionDue } from '../../../src/store/projection-due';
import { ScimUserStore } from '../../../src/store/scim-users';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { activitiesOf, createUsers, makeTenancy, targetUserOf, user, type Tenancy } from './support';

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


  // Guards: per-resource failure in workers/projection/project-users.ts (the rest of the batch
  // commits), retryLater's backoff in src/store/projection-due.ts, the failed activity line.
  it('records a user whose projection fails, retries it later, and lets every other user through', async () => {
    await system.stopWorkers();
    const poison = await poisonUser();
    await projectionDue.record(system.models, tenancy.tenant, { kind: 'User', resourceId: poison, version: 1, operation: 'create', requestId: null });
    const others = await createUsers(client, Array.from({ length: 20 }, (_, i) => user(`bystander${i}@example.com`)));

    system.startWorkers(1, { concurrency: 1 });
    await system.idle();
    for (const id of others) expect(await targetUserOf(system, id)).toMatchObject({ scimUserId: id, status: 'active' });
    expect(await targetUserOf(system, poison)).toBeNull();
    const due = await system.models.ProjectionDue.collection.findOne({ resourceId: poison });
    expect(due).toMatchObject({ attempts: expect.any(Number), lastError: expect.stringMatching(/JSON/) });
    expect((due?.attempts as number) >= 1 && (due?.notBefore as Date).getTime() > Date.now() - 1000).toBe(true);
    const activity = await activitiesOf(system, poison);
    expect(activity[0]).toMatchObject({ outcome: 'failed', resourceType: 'User', error: expect.stringMatching(/JSON/) });
    // Repaired (the IdP sends it again): the next attempt projects it, and its due record goes.
    await system.models.ScimUserResource.collection.updateOne({ _id: poison as never }, { $set: { data: JSON.stringify(user('poison@example.com')) } });
    await system.models.ProjectionDue.collection.updateOne({ resourceId: poison }, { $set: { notBefore: new Date() } });
    await eventually(() => targetUserOf(system, poison), (t) => t !== null);
    expect(await targetUserOf(system, poison)).toMatchObject({ email: 'poison@example.com' });
    expect(await eventually(() => system.models.ProjectionDue.collection.countDocuments({ resourceId: poison }), (n) => n === 0)).toBe(0);
  });

  // Guards: jobs whose payload breaks the contract fail at once (UnrecoverableError), not 8 times.
  it('fails a job whose payload breaks its contract at its first attempt', async () => {
    await system.producer.queues.projection.add('project-setting', { resourceId: 42 }, { jobId: 'bad-payload', attempts: 5, backoff: { type: 'fixed', delay: 5000 } });
    const job = await eventually(async () => system.producer.queues.projection.getJob('bad-payload'), (j) => j?.finishedOn !== undefined);
    expect(await job?.isFailed()).toBe(true);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/contract/);
  });

  // Guards: the due sweep (workers/due-sweep.ts). Without it these writes are never projected.
  it('projects writes whose wake-up was lost, from their due records', async () => {
    await system.stopWorkers();
    const store = new ScimUserStore(system.models);
    // Written as the intake writes, but no wake-up was queued (Redis failed right after the write).
    const lost = await store.create(tenancy.tenant, user('lost@example.com', { [ENTERPRISE]: { department: 'Lost' } }), 'test-request');
    expect(await system.producer.queues.projection.getWaitingCount()).toBe(0);
    system.startWorkers(1);
    await system.idle();
    expect(await targetUserOf(system, lost._id)).toMatchObject({ userName: 'lost@example.com', department: 'Lost', sync: expect.objectContaining({ version: 1 }) });
    expect(await system.models.ProjectionDue.collection.countDocuments({ resourceId: lost._id })).toBe(0);
  });
  // A PATCH whose update never landed (the database went away) and whose withdrawal failed too
  // leaves a due record that the projection abandons. The IdP's retry writes the same version:
  // it must get a record of its own, or a batch abandoning the old one would clear its projection.
  it('gives a write its own due record when a failed write of the same version left one', async () => {
    await system.stopWorkers();
    const [id] = await createUsers(client, [user('retried@example.com')]);
    if (!id) throw new Error('no user');
    const leftOver = await projectionDue.record(system.models, tenancy.tenant, { kind: 'User', resourceId: id, version: 2, operation: 'patch', requestId: 'failed-request' }, new Date(Date.now() - 120_000));
    const patched = await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Retried' }));
    expect(patched.status).toBe(200);
    const records = await system.models.ProjectionDue.collection.find({ resourceId: id, version: 2 }).toArray();
    expect(records.map((r) => r.requestId).sort()).toEqual(['failed-request', patched.headers['x-request-id']].sort());
    // A batch that read the user before the retry landed abandons the old record...
    await projectionDue.clear(system.models, tenancy.tenant, [leftOver]);
    // ...and the retry is still projected, with its own line.
    system.startWorkers(1);
    await system.idle();
    expect(await targetUserOf(system, id)).toMatchObject({ title: 'Retried', sync: expect.objectContaining({ version: 2 }) });
    expect((await activitiesOf(system, id)).map((line) => [line.operation, line.requestId])).toContainEqual([`PATCH /Users/${id}`, patched.headers['x-request-id']]);
  });
});
