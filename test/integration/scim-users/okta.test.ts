import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, makeTargetGroup } from '../../factories';
import { emptyList, LIST_SCHEMA, patchOp, scimClient, type ScimClient, scimError, USER_SCHEMA, userFilter } from '../../support/scim-client';
import { rawUser, systemEnv, targetState, userMeta } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * Okta's SCIM 2.0 Test App, as okta-developer-docs `docs/reference/scim/scim-20` shows its
 * requests: existence check, create with a password and `groups: []`, GET, full PUT, and
 * activate/deactivate as a path-less PATCH. Okta never sends DELETE for users.
 */
describe('Okta conversation over HTTP', () => {
  let system: TestSystem;
  let okta: ScimClient;
  let groupId: string;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_okta', { env: systemEnv });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    const group = await makeTargetGroup(system.models, company._id, 'Okta people');
    groupId = group._id.toHexString();
    const { token } = await makeScimSetting(system.models, company._id, { targetGroupId: group._id });
    okta = scimClient(system, token);
  });

  const janeBody = {
    schemas: [USER_SCHEMA],
    userName: 'jane.doe@example.com',
    name: { givenName: 'Jane', familyName: 'Doe' },
    emails: [{ primary: true, value: 'jane.doe@example.com', type: 'work' }],
    displayName: 'Jane Doe',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    password: '1mz050nq',
    active: true,
  };
  const janeStored = {
    schemas: [USER_SCHEMA],
    userName: 'jane.doe@example.com',
    name: { givenName: 'Jane', familyName: 'Doe' },
    emails: [{ primary: true, value: 'jane.doe@example.com', type: 'work' }],
    displayName: 'Jane Doe',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    active: true,
  };

  it('checks existence, creates, reads, replaces, deactivates and reactivates one user', async () => {
    const lookup = await okta.get(userFilter('userName eq "jane.doe@example.com"', '&startIndex=1&count=100'));
    expect(lookup.status).toBe(200);
    expect(lookup.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(lookup.body).toEqual(emptyList());

    const created = await okta.post('/Users', janeBody);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toEqual({ ...janeStored, id, meta: userMeta(id, 1) });
    expect(created.headers.location).toBe(created.body.meta.location);

    // The password is write-only: neither answered nor kept anywhere.
    const stored = await rawUser(system, id);
    expect(stored?.data).toEqual(janeStored);
    expect(JSON.stringify(stored)).not.toContain('1mz050nq');

    const found = await okta.get(userFilter('userName eq "jane.doe@example.com"', '&startIndex=1&count=100'));
    expect(found.body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: [created.body] });

    const read = await okta.get(`/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    await system.idle();
    expect(await targetState(system, id)).toEqual({
      userName: 'jane.doe@example.com',
      externalId: '00ujl29u0le5T6Aj10h7',
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      department: null,
      phoneNumber: null,
      title: null,
      manager: null,
      customFields: {},
      status: 'active',
      groupIds: [groupId],
    });
    const target = await system.models.TargetUser.findOne({ scimUserId: id }).lean();
    expect(JSON.stringify(target)).not.toContain('1mz050nq');

    // Catalogue apps GET, then PUT the whole resource back, read-only parts and password included.
    const { locale: _locale, ...withoutLocale } = read.body as Record<string, unknown>;
    const replaced = await okta.put(`/Users/${id}`, {
      ...withoutLocale,
      name: { givenName: 'Janet', familyName: 'Doe-Smith' },
      emails: [{ primary: true, value: 'janet@example.com', type: 'work' }],
      title: 'Engineer',
      password: 'an0ther-secret',
      groups: [],
    });
    expect(replaced.status).toBe(200);
    const replacedStored = {
      schemas: [USER_SCHEMA],
      userName: 'jane.doe@example.com',
      name: { givenName: 'Janet', familyName: 'Doe-Smith' },
      emails: [{ primary: true, value: 'janet@example.com', type: 'work' }],
      displayName: 'Jane Doe',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      title: 'Engineer',
    };
    expect(replaced.body).toEqual({ ...replacedStored, id, meta: userMeta(id, 2) });
    expect((await rawUser(system, id))?.data).toEqual(replacedStored);
    expect(JSON.stringify(await rawUser(system, id))).not.toContain('an0ther-secret');
    expect((await okta.get(`/Users/${id}`)).body).toEqual(replaced.body);

    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ email: 'janet@example.com', firstName: 'Janet', lastName: 'Doe-Smith', title: 'Engineer', status: 'active' });

    const deactivated = await okta.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toEqual({ ...replacedStored, active: false, id, meta: userMeta(id, 3) });
    await system.idle();
    // Deactivated users keep their memberships: reactivation does not resend them.
    expect(await targetState(system, id)).toMatchObject({ status: 'inactive', groupIds: [groupId], email: 'janet@example.com' });

    // Still found while inactive, as Okta's next existence check needs.
    const inactiveLookup = await okta.get(userFilter('userName eq "jane.doe@example.com"', '&startIndex=1&count=100'));
    expect(inactiveLookup.body.totalResults).toBe(1);
    expect(inactiveLookup.body.Resources[0].active).toBe(false);

    const reactivated = await okta.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toEqual({ ...replacedStored, active: true, id, meta: userMeta(id, 4) });
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ status: 'active', groupIds: [groupId] });
  });

  it('deactivates by a PUT with active false, as wizard apps do', async () => {
    const created = await okta.post('/Users', janeBody);
    const id = created.body.id as string;
    await system.idle();
    const put = await okta.put(`/Users/${id}`, { ...janeBody, active: false });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...janeStored, active: false, id, meta: userMeta(id, 2) });
    await system.idle();
    expect(await targetState(system, id)).toMatchObject({ status: 'inactive', groupIds: [groupId] });
  });

  it('answers what Okta’s connector test checks', async () => {
    const first = await okta.post('/Users', janeBody);
    const second = await okta.post('/Users', { ...janeBody, userName: 'john.roe@example.com', externalId: '00u2' });
    expect([first.status, second.status]).toEqual([201, 201]);

    const one = await okta.get('/Users?count=1&startIndex=1');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 2, itemsPerPage: 1, startIndex: 1, Resources: [expect.objectContaining({ id: expect.any(String) })] });
    const fetched = await okta.get(`/Users/${one.body.Resources[0].id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(one.body.Resources[0]);

    const missing = await okta.get('/Users/010101010101010101');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(missing.body).toEqual(scimError(404));

    const badToken = await scimClient(system, 'not-a-real-token').get('/Users?count=1&startIndex=1');
    expect(badToken.status).toBe(401);
    expect(badToken.body).toEqual(scimError(401));

    const duplicate = await okta.post('/Users', { ...janeBody, externalId: '00u3' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual(scimError(409, 'uniqueness'));

    const upper = await okta.get(userFilter('userName eq "JANE.DOE@EXAMPLE.COM"', '&startIndex=1&count=100'));
    expect(upper.status).toBe(200);
    expect(upper.body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: [first.body] });

    // The duplicate wrote nothing.
    expect((await rawUser(system, first.body.id))?.data).toEqual(janeStored);
    expect(await system.models.ScimUserResource.countDocuments({ userNameKey: 'jane.doe@example.com', scimSettingId: (await rawUser(system, first.body.id))?.scimSettingId })).toBe(1);
  });
});
