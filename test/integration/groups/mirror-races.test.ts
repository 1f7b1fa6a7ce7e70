import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting } from '../../factories';
import { patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { apiMembers, createGroup, createUsers, entraUser, refs, targetUsers } from './support';

jest.setTimeout(60_000);

const USERS = 30;

/**
 * Mirrored memberships while user projections and group projections touch the same target
 * users at once: the final state must still be exactly what the SCIM resources say.
 */
describe('mirrored groups under concurrent user and group changes', () => {
  let system: TestSystem;
  let client: ScimClient;
  let companyId: Types.ObjectId;

  beforeAll(async () => {
    system = await TestSystem.start('groups_mirror_races', { workers: 2, concurrency: 8 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    companyId = (await makeCompany(system.models))._id;
    client = scimClient(system, (await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups' })).token);
  });

  it('user updates racing a group emptying: every user ends renamed and in no group', async () => {
    const names = Array.from({ length: USERS }, (_, i) => `racer${i}@example.com`);
    const ids = await createUsers(client, names.map((n) => entraUser(n)));
    const group = await createGroup(client, 'Racing', ids);
    await system.idle();

    const renames = ids.map((id) => client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'name.givenName', value: 'Renamed' })));
    const emptying = client.patch(`/Groups/${group}`, patchOp({ op: 'replace', path: 'members', value: [] }));
    expect((await Promise.all([...renames, emptying])).map((r) => r.status).sort()).toEqual([...Array(USERS).fill(200), 204]);
    await system.idle();

    expect(await apiMembers(client, group)).toEqual([]);
    const users = await targetUsers(system, companyId);
    expect(Object.entries(users).filter(([, u]) => u.groups.length > 0)).toEqual([]);
    const renamed = await system.models.TargetUser.countDocuments({ companyId, firstName: 'Renamed' });
    expect(renamed).toBe(USERS);
  });

  it('users deleted while their group is deleted end deleted and in no group (JumpCloud’s clean-up, at scale)', async () => {
    const names = Array.from({ length: USERS }, (_, i) => `leaver${i}@example.com`);
    const ids = await createUsers(client, names.map((n) => entraUser(n)));
    const group = await createGroup(client, 'Leaving', ids);
    await system.idle();

    const answers = await Promise.all([client.delete(`/Groups/${group}`), ...ids.map((id) => client.delete(`/Users/${id}`))]);
    expect(answers.map((r) => r.status)).toEqual(Array(USERS + 1).fill(204));
    await system.idle();

    const users = await targetUsers(system, companyId);
    expect(Object.entries(users).filter(([, u]) => u.status !== 'deleted' || u.groups.length > 0)).toEqual([]);
    expect(await system.models.TargetGroup.countDocuments({ companyId })).toBe(0);
  });

  it('users added to a group while their own create is still being projected end up members', async () => {
    const group = await createGroup(client, 'Newcomers');
    const names = Array.from({ length: USERS }, (_, i) => `newcomer${i}@example.com`);
    await Promise.all(
      names.map(async (name) => {
        const [id] = await createUsers(client, [entraUser(name)]);
        const added = await client.patch(`/Groups/${group}`, patchOp({ op: 'add', path: 'members', value: refs(id as string) }));
        expect(added.status).toBe(204);
      }),
    );
    await system.idle();
    expect(await apiMembers(client, group)).toHaveLength(USERS);
    const users = await targetUsers(system, companyId);
    expect(Object.entries(users).filter(([, u]) => u.groups.join() !== 'idp:Newcomers')).toEqual([]);
  });
});
