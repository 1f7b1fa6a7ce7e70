import { randomUUID } from 'node:crypto';
import { TestSystem } from '../../support/system';
import { makeCompany, makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { emptyList, ENTERPRISE, LIST_SCHEMA, patchOp, scimClient, type ScimClient, scimError, USER_SCHEMA, userFilter } from '../../support/scim-client';
import { rawUser, systemEnv, targetState, userMeta } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * Microsoft Entra ID's provisioning service, as MicrosoftDocs/entra-docs
 * (use-scim-to-provision-users-and-groups, application-provisioning-config-problem-scim-compatibility)
 * shows its requests: Test Connection, matching filter, create, PATCH in the default dialect and
 * in the aadOptscim062020 dialect, soft delete (active=false), then hard delete.
 */
describe('Entra ID conversation over HTTP', () => {
  let system: TestSystem;
  let entra: ScimClient;
  let groupId: string;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_entra', { env: systemEnv });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    const group = await makeTargetGroup(system.models, company._id, 'Everyone');
    groupId = group._id.toHexString();
    const city = await makeCustomField(system.models, company._id, 'city');
    const costCenter = await makeCustomField(system.models, company._id, 'cost_center');
    const { token } = await makeScimSetting(system.models, company._id, {
      targetGroupId: group._id,
      fieldMappings: [
        { scimPath: 'addresses[type eq "work"].locality', customFieldId: city._id },
        { scimPath: `${ENTERPRISE}:costCenter`, customFieldId: costCenter._id },
      ],
    });
    entra = scimClient(system, token);
  });

  const createBody = (userName: string) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: 'ab6490ee',
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
    roles: [],
    [ENTERPRISE]: { department: 'dept123', manager: { value: 'f5e5c1a2-manager' } },
  });
  const storedAfterCreate = (userName: string) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: 'ab6490ee',
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
    roles: [],
    [ENTERPRISE]: { department: 'dept123', manager: { value: 'f5e5c1a2-manager' } },
  });

  it('passes Test Connection with a random GUID: 200 and an empty list, never 404', async () => {
    for (const attribute of ['userName', 'externalId', 'id']) {
      const probe = await entra.get(userFilter(`${attribute} eq "${randomUUID()}"`));
      expect(probe.status).toBe(200);
      expect(probe.body).toEqual(emptyList());
    }
    // The matching attribute is sometimes written unquoted in Entra's examples.
    const unquoted = await entra.get(userFilter('externalId eq 0a21f0f2'));
    expect(unquoted.status).toBe(200);
    expect(unquoted.body).toEqual(emptyList());
  });

  it('matches, creates, patches in the default dialect, deactivates with "False", deletes', async () => {
    const userName = 'Test_User_ab6490ee@testuser.com';
    expect((await entra.get(userFilter(`userName eq "${userName}"`))).body).toEqual(emptyList());

    const created = await entra.post('/Users', createBody(userName));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toEqual({ ...storedAfterCreate(userName), id, meta: userMeta(id, 1) });
    expect((await rawUser(system, id))?.data).toEqual(storedAfterCreate(userName));
    await system.idle();
    expect(await targetState(system, id)).toEqual({
      userName,
      externalId: 'ab6490ee',
      email: userName,
      firstName: 'Test',
      lastName: 'User',
      department: 'dept123',
      phoneNumber: null,
      title: null,
      manager: 'f5e5c1a2-manager',
      customFields: {},
      status: 'active',
      groupIds: [groupId],
    });

    // Entra mixes "Replace" and "Add" for the same kind of change, on elements that do not exist yet.
    const patched = await entra.patch(
      `/Users/${id}`,
      patchOp(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updated@contoso.com' },
        { op: 'Replace', path: 'name.familyName', value: 'Updated' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
        { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
        { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '98052' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'c0ffee-manager-2' },
        { op: 'Add', path: `${ENTERPRISE}:costCenter`, value: 'CC-7' },
        { op: 'Replace', path: 'title', value: 'Engineer' },
      ),
    );
    expect(patched.status).toBe(200);
    const afterPatch = {
      ...storedAfterCreate(userName),
      emails: [{ primary: true, type: 'work', value: 'updated@contoso.com' }],
      name: { formatted: 'Test User', familyName: 'Updated', givenName: 'Test' },
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
      addresses: [{ type: 'work', locality: 'Redmond', postalCode: '98052' }],
      title: 'Engineer',
      [ENTERPRISE]: { department: 'dept123', manager: { value: 'c0ffee-manager-2' }, costCenter: 'CC-7' },
    };
    expect(patched.body).toEqual({ ...afterPatch, id, meta: userMeta(id, 2) });
    expect((await rawUser(system, id))?.data).toEqual(afterPatch);
    expect((await entra.get(`/Users/${id}`)).body).toEqual(patched.body);
    await system.idle();
    expect(await targetState(system, id)).toEqual({
      userName,
      externalId: 'ab6490ee',
      email: 'updated@contoso.com',
      firstName: 'Test',
      lastName: 'Updated',
      department: 'dept123',
      phoneNumber: '+1 555 0100',
      title: 'Engineer',
      manager: 'c0ffee-manager-2',
      customFields: { city: 'Redmond', cost_center: 'CC-7' },
      status: 'active',
      groupIds: [groupId],
    });

    // A work number wins over the mobile one.
    const work = await entra.patch(`/Users/${id}`, patchOp({ op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0199' }));
    expect(work.body.phoneNumbers).toEqual([
      { type: 'mobile', value: '+1 555 0100' },
      { type: 'work', value: '+1 555 0199' },
    ]);
    await system.idle();
    expect((await targetState(system, id))?.phoneNumber).toBe('+1 555 0199');

    // Case-only changes must reach the target user.
    const recased = await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Dept123' }));
    expect(recased.status).toBe(200);
    expect(recased.body[ENTERPRISE].department).toBe('Dept123');
    expect(recased.body.meta.version).toBe('W/"4"');
    await system.idle();
    expect((await targetState(system, id))?.department).toBe('Dept123');

    const disabled = await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    expect((await rawUser(system, id))?.data.active).toBe(false);
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ status: 'inactive', groupIds: [groupId], department: 'Dept123' });

    // Soft-deleted users are still found by the matching filter.
    const stillThere = await entra.get(userFilter(`userName eq "${userName}"`));
    expect(stillThere.body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: [disabled.body] });

    // The same value again changes nothing: no new version.
    const again = await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(disabled.body);

    const deleted = await entra.delete(`/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await entra.get(`/Users/${id}`)).body).toEqual(scimError(404));
    expect((await entra.get(`/Users/${id}`)).status).toBe(404);
    expect((await entra.get(userFilter(`userName eq "${userName}"`))).body).toEqual(emptyList());
    await system.idle();
    // Default policy markDeleted: the record stays, marked deleted, in no group.
    expect(await targetState(system, id)).toEqual({
      userName,
      externalId: 'ab6490ee',
      email: 'updated@contoso.com',
      firstName: 'Test',
      lastName: 'Updated',
      department: 'Dept123',
      phoneNumber: '+1 555 0199',
      title: 'Engineer',
      manager: 'c0ffee-manager-2',
      customFields: { city: 'Redmond', cost_center: 'CC-7' },
      status: 'deleted',
      groupIds: [],
    });
    expect(await rawUser(system, id)).toBeNull();
    expect((await entra.delete(`/Users/${id}`)).status).toBe(404);
    expect((await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }))).status).toBe(404);
  });

  it('reactivates with "True" and keeps memberships', async () => {
    const created = await entra.post('/Users', createBody('reactivate@contoso.com'));
    const id = created.body.id as string;
    await system.idle();
    await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    await system.idle();
    expect((await targetState(system, id))?.status).toBe('inactive');
    const enabled = await entra.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
    expect(enabled.body).toEqual({ ...storedAfterCreate('reactivate@contoso.com'), id, meta: userMeta(id, 3) });
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ status: 'active', groupIds: [groupId] });
  });

  it('speaks the aadOptscim062020 dialect: lower-case ops, real booleans, path-less dotted and URN keys', async () => {
    const created = await entra.get(userFilter('userName eq "opt@contoso.com"', '&aadOptscim062020'));
    expect(created.body).toEqual(emptyList());
    const posted = await entra.post('/Users?aadOptscim062020', createBody('opt@contoso.com'));
    expect(posted.status).toBe(201);
    const id = posted.body.id as string;
    await system.idle();

    const patched = await entra.patch(
      `/Users/${id}?aadOptscim062020`,
      patchOp(
        {
          op: 'replace',
          value: {
            displayName: 'Ann Lee',
            'name.givenName': 'Ann',
            'name.familyName': 'Lee',
            [`${ENTERPRISE}:department`]: 'Sales',
            [`${ENTERPRISE}:employeeNumber`]: 'E-42',
            'emails[type eq "work"].value': 'ann.lee@contoso.com',
            active: false,
          },
        },
        { op: 'add', path: 'addresses[type eq "work"].locality', value: 'Oslo' },
      ),
    );
    expect(patched.status).toBe(200);
    const expected = {
      ...storedAfterCreate('opt@contoso.com'),
      displayName: 'Ann Lee',
      name: { formatted: 'Test User', familyName: 'Lee', givenName: 'Ann' },
      emails: [{ primary: true, type: 'work', value: 'ann.lee@contoso.com' }],
      active: false,
      addresses: [{ type: 'work', locality: 'Oslo' }],
      [ENTERPRISE]: { department: 'Sales', manager: { value: 'f5e5c1a2-manager' }, employeeNumber: 'E-42' },
    };
    expect(patched.body).toEqual({ ...expected, id, meta: userMeta(id, 2) });
    expect((await rawUser(system, id))?.data).toEqual(expected);
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      department: 'Sales',
      email: 'ann.lee@contoso.com',
      customFields: { city: 'Oslo' },
      status: 'inactive',
      groupIds: [groupId],
    });

    const enabled = await entra.patch(`/Users/${id}?aadOptscim062020`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(enabled.status).toBe(200);
    expect(enabled.body.active).toBe(true);
    await system.idle();
    expect((await targetState(system, id))?.status).toBe('active');
  });
});
