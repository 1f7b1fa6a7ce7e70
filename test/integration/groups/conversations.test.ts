import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, makeTargetGroup, oktaUser } from '../../factories';
import { ENTERPRISE, ENTRA_GROUP_SCHEMA, GROUP_SCHEMA, groupFilter, LIST_SCHEMA, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { apiMembers, createUsers, entraUser, targetGroups, targetUsers } from './support';

jest.setTimeout(60_000);

const emptyList = { schemas: [LIST_SCHEMA], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] };

/**
 * Group conversations as the vendors document them (MicrosoftDocs/entra-docs
 * use-scim-to-provision-users-and-groups; okta-developer-docs scim-20; JumpCloud's connector
 * set-up), ending in exact target groups and memberships.
 */
describe('group conversations', () => {
  let system: TestSystem;
  let companyId: Types.ObjectId;

  beforeAll(async () => {
    system = await TestSystem.start('group_conversations', { concurrency: 8 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    companyId = (await makeCompany(system.models))._id;
  });

  const mirroredSetting = async (): Promise<ScimClient> => {
    const everyone = await makeTargetGroup(system.models, companyId, 'Everyone');
    const { token } = await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups', targetGroupId: everyone._id });
    return scimClient(system, token);
  };
  const settled = async () => {
    await system.idle();
    return targetGroups(system, companyId);
  };

  it('Entra: looks up, creates an empty group, adds members, removes some by value array, renames, deletes', async () => {
    const entra = await mirroredSetting();
    const [ann, bob, cy] = (await createUsers(entra, ['ann', 'bob', 'cy'].map((n) => entraUser(`${n}@contoso.com`)))) as [string, string, string];

    const lookup = await entra.get(groupFilter('displayName eq "Sales Team"', '&excludedAttributes=members'));
    expect(lookup.body).toEqual(emptyList);
    const created = await entra.post('/Groups', {
      schemas: [GROUP_SCHEMA, ENTRA_GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales Team',
      meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ displayName: 'Sales Team', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', members: [] });
    expect((await entra.get(`/Groups/${id}?excludedAttributes=members`)).body).not.toHaveProperty('members');
    const found = await entra.get(groupFilter('displayName eq "Sales Team"', '&excludedAttributes=members'));
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(await settled()).toEqual({ 'manual:Everyone': ['ann@contoso.com', 'bob@contoso.com', 'cy@contoso.com'], 'idp:Sales Team': [] });

    const add = await entra.patch(`/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: [ann, bob, cy].map((value) => ({ $ref: null, value })) }));
    expect(add.status).toBe(204);
    expect(await settled()).toMatchObject({ 'idp:Sales Team': ['ann@contoso.com', 'bob@contoso.com', 'cy@contoso.com'] });

    const remove = await entra.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: bob }, { $ref: null, value: cy }] }));
    expect(remove.status).toBe(204);
    expect(await apiMembers(entra, id)).toEqual([ann]);
    expect(await settled()).toMatchObject({ 'idp:Sales Team': ['ann@contoso.com'] });

    const rename = await entra.patch(`/Groups/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'Sales Team EMEA' }));
    expect(rename.status).toBe(204);
    expect(await settled()).toEqual({ 'manual:Everyone': ['ann@contoso.com', 'bob@contoso.com', 'cy@contoso.com'], 'idp:Sales Team EMEA': ['ann@contoso.com'] });

    expect((await entra.delete(`/Groups/${id}`)).status).toBe(204);
    expect(await settled()).toEqual({ 'manual:Everyone': ['ann@contoso.com', 'bob@contoso.com', 'cy@contoso.com'] });
    expect((await entra.get(groupFilter('displayName eq "Sales Team EMEA"', '&excludedAttributes=members'))).body).toEqual(emptyList);
  });

  it('Entra with aadOptscim062020: lower-case ops, members[value eq] removes, path-less replace', async () => {
    const entra = await mirroredSetting();
    const [ann, bob, cy] = (await createUsers(entra, ['ann', 'bob', 'cy'].map((n) => entraUser(`${n}@contoso.com`)))) as [string, string, string];
    const id = (await entra.post('/Groups', { schemas: [GROUP_SCHEMA, ENTRA_GROUP_SCHEMA], externalId: 'g-1', displayName: 'Finance' })).body.id as string;

    expect((await entra.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ann }, { value: bob }, { value: cy }] }))).status).toBe(204);
    expect((await entra.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${bob}"]` }))).status).toBe(204);
    expect((await entra.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { displayName: 'Finance UK', externalId: 'g-1b' } }))).status).toBe(204);
    expect((await entra.get(`/Groups/${id}`)).body).toMatchObject({ displayName: 'Finance UK', externalId: 'g-1b' });
    expect(await apiMembers(entra, id)).toEqual([ann, cy].sort());
    expect(await settled()).toEqual({ 'manual:Everyone': ['ann@contoso.com', 'bob@contoso.com', 'cy@contoso.com'], 'idp:Finance UK': ['ann@contoso.com', 'cy@contoso.com'] });
  });

  it('Okta push groups: POST members:[], then rename + remove members[value eq] + add in one PATCH, then unlink and delete', async () => {
    const okta = await mirroredSetting();
    const [ann, bob, cy] = (await createUsers(okta, ['ann', 'bob', 'cy'].map((n) => oktaUser(`${n}@okta.local`)))) as [string, string, string];

    const created = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await okta.get(`/Groups/${id}`)).body).toMatchObject({ id, displayName: 'Test SCIMv2', members: [] });

    const first = await okta.patch(
      `/Groups/${id}`,
      patchOp(
        { op: 'replace', value: { id, displayName: 'Test SCIMv2' } },
        { op: 'add', path: 'members', value: [{ value: ann, display: 'ann@okta.local' }, { value: bob, display: 'bob@okta.local' }] },
      ),
    );
    expect(first.status).toBe(204);
    expect(await settled()).toMatchObject({ 'idp:Test SCIMv2': ['ann@okta.local', 'bob@okta.local'] });

    const second = await okta.patch(
      `/Groups/${id}`,
      patchOp(
        { op: 'replace', value: { id, displayName: 'Okta Pushed' } },
        { op: 'remove', path: `members[value eq "${ann}"]` },
        { op: 'add', path: 'members', value: [{ value: cy, display: 'cy@okta.local' }] },
      ),
    );
    expect(second.status).toBe(204);
    expect((await okta.get(`/Groups/${id}`)).body).toMatchObject({ id, displayName: 'Okta Pushed' });
    expect(await apiMembers(okta, id)).toEqual([bob, cy].sort());
    expect(await settled()).toEqual({ 'manual:Everyone': ['ann@okta.local', 'bob@okta.local', 'cy@okta.local'], 'idp:Okta Pushed': ['bob@okta.local', 'cy@okta.local'] });

    const list = await okta.get('/Groups?startIndex=1&count=100');
    expect(list.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    expect((await okta.delete(`/Groups/${id}`)).status).toBe(204);
    expect(await settled()).toEqual({ 'manual:Everyone': ['ann@okta.local', 'bob@okta.local', 'cy@okta.local'] });
  });

  it('JumpCloud: the connector’s test user and test group are created, then deleted, leaving nothing behind', async () => {
    const jumpcloud = await mirroredSetting();
    const user = await jumpcloud.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'jctestuser@example.com',
      name: { givenName: 'JumpCloud', familyName: 'Test' },
      emails: [{ value: 'jctestuser@example.com', primary: true }],
      active: true,
    });
    expect(user.status).toBe(201);
    const group = await jumpcloud.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'JumpCloud Test Group', members: [{ value: user.body.id }] });
    expect(group.status).toBe(201);
    expect(await settled()).toEqual({ 'manual:Everyone': ['jctestuser@example.com'], 'idp:JumpCloud Test Group': ['jctestuser@example.com'] });

    expect((await jumpcloud.delete(`/Groups/${group.body.id}`)).status).toBe(204);
    expect((await jumpcloud.delete(`/Users/${user.body.id}`)).status).toBe(204);
    expect(await settled()).toEqual({ 'manual:Everyone': [] });
    expect(await targetUsers(system, companyId)).toEqual({ 'jctestuser@example.com': { status: 'deleted', groups: [] } });
    expect((await jumpcloud.get('/Groups')).body.totalResults).toBe(0);
    expect(await system.models.ScimGroupResource.countDocuments({ companyId })).toBe(0);
    // A second set-up run reuses the names.
    expect((await jumpcloud.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'JumpCloud Test Group' })).status).toBe(201);
  });

  it('group by department: 200 users over 5 departments, 20 department changes, 10 deactivations', async () => {
    const fallback = await makeTargetGroup(system.models, companyId, 'No department');
    const { token } = await makeScimSetting(system.models, companyId, { groupingCriteria: 'department', targetGroupId: fallback._id });
    const entra = scimClient(system, token);
    const departments = ['Sales', 'Engineering', 'Finance', 'Support', 'Legal'];
    const names = Array.from({ length: 200 }, (_, i) => `user${String(i).padStart(3, '0')}@contoso.com`);
    const ids = await createUsers(entra, names.map((n, i) => entraUser(n, departments[i % 5])), 25);
    const department = new Map(names.map((n, i) => [n, departments[i % 5] as string]));
    const status = new Map(names.map((n) => [n, 'active']));

    // Every change at once: ten to a department nobody had (one group must come of it), ten across.
    const changes = Array.from({ length: 20 }, (_, k) => {
      const i = k * 7;
      const next = k < 10 ? 'Research' : (departments[(i % 5) + 1] ?? 'Sales');
      department.set(names[i] as string, next);
      return entra.patch(`/Users/${ids[i]}`, patchOp({ op: 'Replace', path: `${ENTERPRISE}:department`, value: next }));
    });
    expect((await Promise.all(changes)).map((r) => r.status)).toEqual(Array(20).fill(200));
    const deactivations = Array.from({ length: 10 }, (_, k) => {
      const i = k * 13 + 3;
      status.set(names[i] as string, 'inactive');
      return entra.patch(`/Users/${ids[i]}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    });
    expect((await Promise.all(deactivations)).map((r) => r.status)).toEqual(Array(10).fill(200));

    const expected: Record<string, string[]> = { 'manual:No department': [] };
    for (const name of [...departments, 'Research']) {
      expected[`groupBy:${name}`] = names.filter((n) => department.get(n) === name);
    }
    expect(await settled()).toEqual(expected);
    const users = await targetUsers(system, companyId);
    expect(Object.keys(users)).toHaveLength(200);
    for (const name of names) expect([name, users[name]]).toEqual([name, { status: status.get(name), groups: [`groupBy:${department.get(name)}`] }]);
    expect(await system.models.TargetGroup.countDocuments({ companyId, name: 'Research' })).toBe(1);
  });
});
