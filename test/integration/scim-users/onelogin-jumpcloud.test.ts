import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, makeTargetGroup } from '../../factories';
import { emptyList, ENTERPRISE, scimClient, scimError, USER_SCHEMA, userFilter } from '../../support/scim-client';
import { rawUser, sourceOf, storedState, systemEnv, targetState, userMeta } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * OneLogin's "SCIM Provisioner with SAML (SCIM v2 Enterprise)" with the JSON template of seed 004
 * (Tenant URL `<base>/scim`), and JumpCloud's connector set-up, which creates a test user and
 * deletes it again.
 */
describe('OneLogin and JumpCloud conversations over HTTP', () => {
  let system: TestSystem;
  let token: string;
  let groupId: string;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_onelogin', { env: systemEnv });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    const group = await makeTargetGroup(system.models, company._id, 'All staff');
    groupId = group._id.toHexString();
    ({ token } = await makeScimSetting(system.models, company._id, { targetGroupId: group._id }));
  });

  /** Seed 004's template with OneLogin's placeholders filled in. */
  const oneLoginTemplate = (fill: { department: string; managerId: string; managerName: string; active: string }) => ({
    [ENTERPRISE]: {
      department: fill.department,
      manager: { managerId: fill.managerId, displayName: fill.managerName },
    },
    active: fill.active,
    emails: [{ value: 'sam.lee@example.com', type: 'work', primary: true }],
    meta: { resourceType: 'User' },
    name: { familyName: 'Lee', givenName: 'Sam', formatted: 'Sam Lee' },
    userName: 'sam.lee@example.com',
    id: null,
    schemas: [USER_SCHEMA],
  });

  it('OneLogin: creates from the template, updates by PUT with "false", deletes', async () => {
    const onelogin = scimClient(system, token, { base: '/scim' });
    const created = await onelogin.post('/Users', oneLoginTemplate({ department: 'Finance', managerId: '00u-77', managerName: 'Maria Garcia', active: 'true' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const stored = {
      schemas: [USER_SCHEMA, ENTERPRISE],
      [ENTERPRISE]: { department: 'Finance', manager: { managerId: '00u-77', displayName: 'Maria Garcia' } },
      active: true,
      emails: [{ value: 'sam.lee@example.com', type: 'work', primary: true }],
      name: { familyName: 'Lee', givenName: 'Sam', formatted: 'Sam Lee' },
      userName: 'sam.lee@example.com',
    };
    expect(created.body).toEqual({ ...stored, id, meta: userMeta(id, 1, '/scim') });
    expect(created.headers.location).toBe(userMeta(id, 1, '/scim').location);
    expect((await rawUser(system, id))?.data).toEqual(stored);
    expect((await onelogin.get(`/Users/${id}`)).body).toEqual(created.body);
    await system.idle();
    expect(await targetState(system, id)).toEqual({
      userName: 'sam.lee@example.com',
      externalId: null,
      email: 'sam.lee@example.com',
      firstName: 'Sam',
      lastName: 'Lee',
      department: 'Finance',
      phoneNumber: null,
      title: null,
      manager: 'Maria Garcia',
      customFields: {},
      status: 'active',
      groupIds: [groupId],
    });

    // Unset placeholders arrive as "" (and " " between two of them); organization and division may come along.
    const template = oneLoginTemplate({ department: '', managerId: '00u-78', managerName: ' ', active: 'false' });
    const updated = await onelogin.put(`/Users/${id}`, {
      ...template,
      [ENTERPRISE]: { ...template[ENTERPRISE], organization: 'Acme', division: 'EMEA' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.active).toBe(false);
    expect(updated.body[ENTERPRISE]).toEqual({ department: '', manager: { managerId: '00u-78', displayName: ' ' }, organization: 'Acme', division: 'EMEA' });
    expect(updated.body.meta).toEqual(userMeta(id, 2, '/scim'));
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ department: null, manager: '00u-78', status: 'inactive', groupIds: [groupId] });

    const reactivated = await onelogin.put(`/Users/${id}`, oneLoginTemplate({ department: 'Finance', managerId: '00u-77', managerName: 'Maria Garcia', active: 'True' }));
    expect(reactivated.body).toEqual({ ...stored, id, meta: userMeta(id, 3, '/scim') });
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ department: 'Finance', manager: 'Maria Garcia', status: 'active' });

    expect((await onelogin.delete(`/Users/${id}`)).status).toBe(204);
    expect((await onelogin.get(`/Users/${id}`)).body).toEqual(scimError(404));
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ status: 'deleted', groupIds: [], email: 'sam.lee@example.com' });
  });

  it('OneLogin: an unreadable active value is a 400 and changes nothing', async () => {
    const onelogin = scimClient(system, token, { base: '/scim' });
    const created = await onelogin.post('/Users', oneLoginTemplate({ department: 'Finance', managerId: '1', managerName: 'M', active: 'true' }));
    const before = await storedState(system, created.body.id);
    const bad = await onelogin.put(`/Users/${created.body.id}`, oneLoginTemplate({ department: 'Finance', managerId: '1', managerName: 'M', active: '{$user.active}' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(scimError(400, 'invalidValue'));
    expect(await storedState(system, created.body.id)).toEqual(before);
  });

  const jumpCloudTestUser = (userName: string) => ({
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'JumpCloud', familyName: 'Test' },
    displayName: 'JumpCloud Test',
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  });

  it('JumpCloud: the test user is created and deleted, and the same userName can be created again at once, one person throughout', async () => {
    const jumpcloud = scimClient(system, token);
    const first = await jumpcloud.post('/Users', jumpCloudTestUser('jc-test-user@example.com'));
    expect(first.status).toBe(201);
    // write-races.test.ts sends the DELETE before the create is projected.
    await system.idle();
    expect((await jumpcloud.delete(`/Users/${first.body.id}`)).status).toBe(204);

    // Before the deletion is projected, the name is already free.
    const second = await jumpcloud.post('/Users', jumpCloudTestUser('JC-Test-User@example.com'));
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await jumpcloud.get(userFilter('userName eq "jc-test-user@example.com"'))).body.Resources).toEqual([second.body]);

    await system.idle();
    // One address, one person: the deleted test user and its successor are two sources of it.
    const person = () => system.models.TargetUser.findOne({ emailKey: 'jc-test-user@example.com' }).lean();
    const sourceStatus = async (id: string) => (await sourceOf(system, id))?.view?.status;
    expect(await person()).toMatchObject({ status: 'active', userName: 'JC-Test-User@example.com', scimUserId: second.body.id });
    expect(await targetState(system, second.body.id)).toMatchObject({ status: 'active', userName: 'JC-Test-User@example.com', groupIds: [groupId] });
    expect(await sourceStatus(first.body.id)).toBe('deleted');

    // And after the deletion was projected: delete the second, create a third.
    expect((await jumpcloud.delete(`/Users/${second.body.id}`)).status).toBe(204);
    await system.idle();
    expect(await rawUser(system, second.body.id)).toBeNull();
    const third = await jumpcloud.post('/Users', jumpCloudTestUser('jc-test-user@example.com'));
    expect(third.status).toBe(201);
    await system.idle();
    expect(await targetState(system, third.body.id)).toMatchObject({ status: 'active', firstName: 'JumpCloud', lastName: 'Test' });
    expect((await jumpcloud.get(userFilter('userName eq "jc-test-user@example.com"'))).body.totalResults).toBe(1);
    expect(await system.models.TargetUser.countDocuments({ userName: /^jc-test-user@example\.com$/i })).toBe(1);
    expect(await sourceStatus(second.body.id)).toBe('deleted');
  });

  it('JumpCloud: a connector that only deactivates leaves an inactive user', async () => {
    const jumpcloud = scimClient(system, token);
    const created = await jumpcloud.post('/Users', jumpCloudTestUser('jc-deactivate@example.com'));
    await system.idle();
    const put = await jumpcloud.put(`/Users/${created.body.id}`, { ...jumpCloudTestUser('jc-deactivate@example.com'), active: false });
    expect(put.status).toBe(200);
    await system.idle();
    expect(await targetState(system, created.body.id)).toMatchObject({ status: 'inactive', groupIds: [groupId] });
    expect((await jumpcloud.get(userFilter('userName eq "jc-deactivate@example.com"'))).body.totalResults).toBe(1);
    expect((await jumpcloud.get(userFilter('userName eq "nobody@example.com"'))).body).toEqual(emptyList());
  });
});
