import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TestSystem } from '../../support/system';
import { startRedis, type RunningRedis } from '../../../dev/services/embedded-redis';
import { Producer } from '../../../src/queue/producer';
import { ENTERPRISE, ERROR_SCHEMA, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { activitiesOf, createGroup, createUser, expectStatus, makeTenancy, targetUserOf, user, type Tenancy } from './support';

jest.setTimeout(30_000);

const filter = (expression: string) => `/Users?filter=${encodeURIComponent(expression)}`;

describe('pipeline: intake', () => {
  let system: TestSystem;
  let tenancy: Tenancy;
  let client: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_intake', { workers: 2, concurrency: 4 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    tenancy = await makeTenancy(system);
    client = scimClient(system, tenancy.token);
  });

  // Guards: the id is made by the intake's store (not by the worker) and travels in the due record;
  // the job only names the setting and the request that woke it.
  it('assigns the id at intake, returns it in the 201, and the target user later carries it', async () => {
    await system.stopWorkers();
    const created = await expectStatus(client.post('/Users', user('ada@example.com')), 201);
    const id = created.body.id as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.headers.location).toMatch(new RegExp(`/scim/v2/Users/${id}$`));
    expect(created.body.meta).toMatchObject({ resourceType: 'User', location: created.headers.location });
    // No worker has run: the id exists before any projection.
    expect(await system.models.TargetUser.collection.countDocuments({ companyId: tenancy.companyId })).toBe(0);
    const queued = await system.producer.queues.projection.getWaiting();
    const requestId = created.headers['x-request-id'];
    expect(queued.map((job) => job.data)).toEqual([{ companyId: tenancy.companyId.toHexString(), scimSettingId: tenancy.scimSettingId.toHexString(), requestId }]);
    const due = await system.models.ProjectionDue.collection.find({ scimSettingId: tenancy.scimSettingId }).toArray();
    expect(due).toEqual([expect.objectContaining({ kind: 'User', resourceId: id, version: 1, operation: 'create', requestId, attempts: 0 })]);

    system.startWorkers(1);
    await system.idle();
    const target = await targetUserOf(system, id);
    expect(target).toMatchObject({ scimUserId: id, userName: 'ada@example.com', email: 'ada@example.com', status: 'active', sync: expect.objectContaining({ version: 1 }) });
    expect(await system.models.TargetUser.collection.countDocuments({})).toBe(1);
    const activity = await eventually(() => activitiesOf(system, id), (a) => a.length === 1);
    expect(activity).toEqual([expect.objectContaining({ outcome: 'applied', version: 1, operation: `POST /Users/${id}`, changes: ['created'], email: 'ada@example.com', displayName: 'Given ada' })]);
    expect(await system.models.ProjectionDue.collection.countDocuments({ scimSettingId: tenancy.scimSettingId })).toBe(0);
  });

  // Guards: every SCIM read is served from the store the write changed before its 2xx, not
  // from the target users the workers write (no worker runs in this test).
  it('reflects every write in the very next read, with no worker running', async () => {
    await system.stopWorkers();
    const id = await createUser(client, user('grace@example.com', { [ENTERPRISE]: { department: 'Research' } }));
    expect((await expectStatus(client.get(`/Users/${id}`), 200)).body).toMatchObject({ id, userName: 'grace@example.com' });
    const listed = await expectStatus(client.get(filter('userName eq "GRACE@example.com"')), 200);
    expect(listed.body).toMatchObject({ totalResults: 1, Resources: [expect.objectContaining({ id })] });

    await expectStatus(client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' }, { op: 'replace', path: 'title', value: 'Lead' })), 200);
    expect((await expectStatus(client.get(`/Users/${id}`), 200)).body).toMatchObject({ title: 'Lead', [ENTERPRISE]: { department: 'Sales' } });
    const bySales = await expectStatus(client.get(filter(`${ENTERPRISE}:department eq "Sales" and title eq "Lead"`)), 200);
    expect(bySales.body.totalResults).toBe(1);

    await expectStatus(client.put(`/Users/${id}`, user('grace.h@example.com', { active: false })), 200);
    const replaced = (await expectStatus(client.get(`/Users/${id}`), 200)).body;
    expect(replaced).toMatchObject({ userName: 'grace.h@example.com', active: false });
    expect(replaced).not.toHaveProperty('title');
    expect((await expectStatus(client.get(filter('userName eq "grace@example.com"')), 200)).body.totalResults).toBe(0);

    const groupId = await createGroup(client, 'Readers', [id]);
    const groups = await expectStatus(client.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${id}"]`)}`), 200);
    expect(groups.body).toMatchObject({ totalResults: 1, Resources: [expect.objectContaining({ id: groupId })] });

    await expectStatus(client.delete(`/Users/${id}`), 204);
    await expectStatus(client.get(`/Users/${id}`), 404);
    expect((await expectStatus(client.get(filter('userName eq "grace.h@example.com"')), 200)).body.totalResults).toBe(0);
    // RFC 7644 §3.6: the deleted user left the group, visibly at once.
    expect((await expectStatus(client.get(`/Groups/${groupId}`), 200)).body.members ?? []).toEqual([]);

    expect(await system.models.TargetUser.collection.countDocuments({ companyId: tenancy.companyId })).toBe(0);
  });

  describe('while Redis is down', () => {
    let privateRedis: RunningRedis | undefined;
    let producer: Producer | undefined;
    let producerRedis: Redis | undefined;

    afterEach(async () => {
      await producer?.close().catch(() => undefined);
      producerRedis?.disconnect();
      await privateRedis?.stop();
      privateRedis = producer = producerRedis = undefined;
    });

    // Guards: the intake's fail-fast check (requireWritable) runs before the store is touched.
    it('answers every write 503 with a SCIM error and Retry-After, stores nothing, and still serves reads', async () => {
      const userId = await createUser(client, user('kept@example.com'));
      const groupId = await createGroup(client, 'Kept', [userId]);
      await system.idle();

      privateRedis = await startRedis({ dataDir: path.join(os.tmpdir(), 'scim-pipeline-redis-down'), log: () => undefined });
      producerRedis = new Redis(privateRedis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 500 });
      producerRedis.on('error', () => undefined);
      await new Promise((resolve) => producerRedis?.once('ready', resolve));
      producer = new Producer(producerRedis, system.queueNames, system.queuePrefix, system.logger);
      const down = scimClient(system, tenancy.token, { app: () => system.intakeWith(producer as Producer) });
      await expectStatus(down.get(`/Users/${userId}`), 200);

      await privateRedis.stop();
      await eventually(async () => producer?.ready, (ready) => ready === false);

      const snapshot = async () => ({
        users: await system.models.ScimUserResource.collection.find({}).toArray(),
        groups: await system.models.ScimGroupResource.collection.find({}).toArray(),
        targets: await system.models.TargetUser.collection.find({}).toArray(),
        targetGroups: await system.models.TargetGroup.collection.find({}).toArray(),
      });
      const before = await snapshot();
      const writes = [
        down.post('/Users', user('new@example.com')),
        down.put(`/Users/${userId}`, user('kept@example.com', { title: 'Changed' })),
        down.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'title', value: 'Changed' })),
        down.delete(`/Users/${userId}`),
        down.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'New' }),
        down.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: 'members' })),
        down.delete(`/Groups/${groupId}`),
      ];
      for (const answer of await Promise.all(writes)) {
        expect(answer.status).toBe(503);
        expect(answer.headers['content-type']).toMatch(/application\/scim\+json/);
        expect(answer.headers['retry-after']).toMatch(/^\d+$/);
        expect(JSON.parse(answer.text)).toEqual({ schemas: [ERROR_SCHEMA], status: '503', detail: expect.any(String) });
      }
      expect(await snapshot()).toEqual(before);

      const read = await expectStatus(down.get(`/Users/${userId}`), 200);
      expect(read.body).toMatchObject({ id: userId, userName: 'kept@example.com' });
      expect((await expectStatus(down.get(filter('userName eq "kept@example.com"')), 200)).body.totalResults).toBe(1);
      expect((await expectStatus(down.get(`/Groups/${groupId}`), 200)).body.members).toEqual([expect.objectContaining({ value: userId })]);
    });
  });
});
