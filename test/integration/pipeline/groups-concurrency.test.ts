import { projectionDue } from '../../../src/store/projection-due';
import { wakeProjection } from '../../../src/store/outbox';
import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { breakSetting, createGroup, createUser, createUsers, expectStatus, failedProjections, makeTenancy, user, type Tenancy } from './support';

jest.setTimeout(90_000);

describe('pipeline: target groups under concurrency (issue 3)', () => {
  let system: TestSystem;
  let tenancy: Tenancy;
  let client: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_groups', { workers: 3, concurrency: 8 });
  });
  afterAll(async () => system.stop());

  async function setUp(groupingCriteria: 'department' | 'idpGroups') {
    await system.freshQueues();
    tenancy = await makeTenancy(system, { groupingCriteria });
    client = scimClient(system, tenancy.token);
  }

  /** Target group id → sorted scimUserIds of its members, for this company. */
  async function targetMembership(): Promise<Map<string, string[]>> {
    const users = await system.models.TargetUser.collection.find({ companyId: tenancy.companyId }, { projection: { scimUserId: 1, groupIds: 1 } }).toArray();
    const members = new Map<string, string[]>();
    for (const u of users) {
      for (const g of u.groupIds as Types.ObjectId[]) members.set(g.toHexString(), [...(members.get(g.toHexString()) ?? []), u.scimUserId as string].sort());
    }
    return members;
  }

  /** What the SCIM API shows for a group, and what its mirrored target group holds. */
  async function mirroredState(groupId: string) {
    const resource = await system.models.ScimGroupResource.collection.findOne({ _id: groupId as never });
    const api = (await expectStatus(client.get(`/Groups/${groupId}`), 200)).body as { displayName: string; members?: { value: string }[] };
    const target = await system.models.TargetGroup.collection.findOne({ _id: resource?.targetGroupId });
    return {
      api: { name: api.displayName, members: (api.members ?? []).map((m) => m.value).sort() },
      target: { name: target?.name, members: (await targetMembership()).get(String(resource?.targetGroupId)) ?? [] },
    };
  }

  async function expectMirrored(groupId: string, members: string[]) {
    const { api, target } = await mirroredState(groupId);
    expect(api.members).toEqual([...members].sort());
    expect(target).toEqual({ name: api.name, members: [...members].sort() });
  }

  // Guards: the unique (companyId, key) index on target groups and targetGroups.ensureByName
  // reading the winner after losing the insert race.
  it('makes exactly one group for 500 users arriving at once with the same new department', async () => {
    await setUp('department');
    await system.stopWorkers();
    const ids = await createUsers(client, Array.from({ length: 500 }, (_, i) => user(`wave${i}@example.com`, { [ENTERPRISE]: { department: 'Quantum Research' } })), 50);
    // Every job is waiting: 24 of them start at the same moment and race for the new group.
    system.startWorkers(3);
    await system.idle();

    const groups = await system.models.TargetGroup.collection.find({ companyId: tenancy.companyId }).toArray();
    expect(groups.map((g) => ({ name: g.name, source: g.source }))).toEqual([{ name: 'Quantum Research', source: 'groupBy' }]);
    const membership = await targetMembership();
    expect([...membership.keys()]).toEqual([groups[0]?._id.toHexString()]);
    expect(membership.get(groups[0]?._id.toHexString() ?? '')).toEqual([...ids].sort());
  });

  // Guards: the user projection reading its mirrored groups from the SCIM store (not from
  // target groups that do not exist yet), and the group projection queueing members whose
  // target user is not there yet.
  it('converges when a group names a user whose create is still queued', async () => {
    await setUp('idpGroups');
    const existing = await createGroup(client, 'Existing');
    await system.idle();

    await system.stopWorkers();
    const first = await createUser(client, user('queued1@example.com'));
    const second = await createUser(client, user('queued2@example.com'));
    const created = await createGroup(client, 'Created with members', [first]);
    await expectStatus(client.patch(`/Groups/${existing}`, patchOp({ op: 'add', path: 'members', value: [{ value: first }, { value: second }] })), 204);
    expect(await system.models.TargetUser.collection.countDocuments({ companyId: tenancy.companyId })).toBe(0);
    system.startWorkers(3);
    await system.idle();

    await expectMirrored(created, [first]);
    await expectMirrored(existing, [first, second]);
  });

  // Guards: one projection at a time per setting (its lease), each projecting the group's
  // latest members, and retries that re-read instead of re-applying.
  it('applies membership changes to one group in order, through failures and retries', async () => {
    await setUp('idpGroups');
    const ids = await createUsers(client, Array.from({ length: 24 }, (_, i) => user(`member${i}@example.com`)));
    const groupId = await createGroup(client, 'Rolling');
    const otherGroup = await createGroup(client, 'Bystanders');
    await system.idle();

    let restore: (() => Promise<void>) | undefined;
    await Promise.all([
      (async () => {
        // A sliding window of 3 members: each PATCH adds one and removes the oldest.
        for (const [i, id] of ids.entries()) {
          if (i === 8) restore = await breakSetting(system, tenancy.scimSettingId);
          if (i === 14) {
            // The setting's projection has failed at least once before the setting is repaired.
            expect(await eventually(() => failedProjections(system, tenancy), (n) => n > 0, 30_000)).toBeGreaterThan(0);
            await restore?.();
          }
          const ops: Record<string, unknown>[] = [{ op: 'add', path: 'members', value: [{ value: id }] }];
          const leaving = ids[i - 3];
          if (leaving) ops.push({ op: 'remove', path: `members[value eq "${leaving}"]` });
          await expectStatus(client.patch(`/Groups/${groupId}`, patchOp(...ops)), 204);
        }
      })(),
      (async () => {
        for (const id of ids.slice(0, 12)) await expectStatus(client.patch(`/Groups/${otherGroup}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] })), 204);
      })(),
    ]);
    await system.idle();

    await expectMirrored(groupId, ids.slice(-3));
    await expectMirrored(otherGroup, ids.slice(0, 12));
    expect(await system.producer.queues.projection.getFailedCount()).toBe(0);
  });

  // Guards: group projections applying the difference to the latest membership, so a replayed
  // due record of any version changes nothing.
  it('lets a replayed group job change nothing', async () => {
    await setUp('idpGroups');
    const ids = await createUsers(client, Array.from({ length: 5 }, (_, i) => user(`replayed${i}@example.com`)));
    const groupId = await createGroup(client, 'Replayed', ids.slice(0, 3));
    await expectStatus(client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids[3] }] })), 204);
    await expectStatus(client.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${ids[0]}"]` })), 204);
    await system.idle();
    const snapshot = async () => ({
      users: await system.models.TargetUser.collection.find({ companyId: tenancy.companyId }).sort({ scimUserId: 1 }).toArray(),
      groups: await system.models.TargetGroup.collection.find({ companyId: tenancy.companyId }).toArray(),
    });
    const before = await snapshot();
    await expectMirrored(groupId, ids.slice(1, 4));

    for (const version of [3, 1, 2]) await projectionDue.record(system.models, tenancy.tenant, { kind: 'Group', resourceId: groupId, version, operation: 'patch', requestId: null });
    await wakeProjection(system.producer, system.logger, tenancy.tenant);
    await system.idle();
    expect(await snapshot()).toEqual(before);
  });

  // Guards: the SCIM store's optimistic concurrency on the group's version (Entra sends
  // membership PATCHes for one group in parallel): no PATCH may be lost.
  it('loses no member when PATCHes to one group arrive at the same time', async () => {
    await setUp('idpGroups');
    const ids = await createUsers(client, Array.from({ length: 16 }, (_, i) => user(`parallel${i}@example.com`)));
    const groupId = await createGroup(client, 'Parallel');
    await system.idle();
    await Promise.all(ids.map((id) => expectStatus(client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] })), 204)));
    await system.idle();
    await expectMirrored(groupId, ids);
  });

  // Guards: two group projections writing the same target users (the company's lease makes
  // them take turns): neither may undo the other's membership change.
  it('keeps both memberships when two groups gain the same members at the same time', async () => {
    await setUp('idpGroups');
    const ids = await createUsers(client, Array.from({ length: 12 }, (_, i) => user(`both${i}@example.com`)));
    const groups = await Promise.all(['Left', 'Right', 'Up', 'Down'].map((name) => createGroup(client, name)));
    await system.idle();
    await Promise.all(
      groups.map(async (groupId) => {
        for (const id of ids) await expectStatus(client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] })), 204);
      }),
    );
    await system.idle();
    for (const groupId of groups) await expectMirrored(groupId, ids);
  });

  // Guards: a user projection and a group projection writing the same target user (the
  // company's lease makes them take turns): neither may undo the other's membership change.
  it('keeps memberships right when users are created and added to a group while projections run', async () => {
    await setUp('idpGroups');
    const groupId = await createGroup(client, 'Joiners');
    await system.idle();
    const joined: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (stream) => {
        for (let i = 0; i < 10; i += 1) {
          const id = await createUser(client, user(`joiner${stream}-${i}@example.com`));
          await expectStatus(client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] })), 204);
          joined.push(id);
        }
      }),
    );
    await system.idle();
    await expectMirrored(groupId, joined);
  });
});
