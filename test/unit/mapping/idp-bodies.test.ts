import { changedFields, decideGroups, mapScimUser } from '../../../src/mapping';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../../../src/scim/schema/resource-types';

/** Create bodies as each IdP's documentation shows them (see shared/docs/idp-notes.md). */
const entraCreate = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
  phoneNumbers: [
    { type: 'mobile', value: '+44 7700 900123' },
    { type: 'work', value: '+44 20 7946 0000' },
  ],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Finance', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
};

const oktaCreate = {
  schemas: [USER_SCHEMA],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
};

/** Seed 004's template with its placeholders resolved. */
const oneLoginCreate = {
  [ENTERPRISE_USER_SCHEMA]: {
    department: 'Sales',
    manager: { managerId: '58342954', displayName: 'Grace Hopper' },
  },
  active: 'true',
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  meta: { resourceType: 'User' },
  name: { familyName: 'Lovelace', givenName: 'Ada', formatted: 'Ada Lovelace' },
  userName: 'ada@example.com',
  id: null,
  schemas: [USER_SCHEMA],
};

const jumpCloudCreate = { schemas: [USER_SCHEMA], userName: 'jc.test@example.com', emails: [{ value: 'jc.test@example.com' }] };

describe('create bodies from the identity providers', () => {
  it('maps an Entra ID create with enterprise department and manager', () => {
    expect(mapScimUser(entraCreate, [])).toEqual({
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      email: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
      firstName: 'givenName',
      lastName: 'familyName',
      department: 'Finance',
      phoneNumber: '+44 20 7946 0000',
      title: null,
      manager: '26118915-6090-4610-87e4-49d8ca9f808d',
      managerId: '26118915-6090-4610-87e4-49d8ca9f808d',
      customFields: {},
      active: true,
    });
  });

  it('maps an Okta create and keeps nothing of the password', () => {
    const mapped = mapScimUser(oktaCreate, [{ scimPath: 'password', customFieldKey: 'secret' }]);
    expect(mapped).toMatchObject({
      userName: 'test.user@okta.local',
      externalId: '00ujl29u0le5T6Aj10h7',
      email: 'test.user@okta.local',
      firstName: 'Test',
      lastName: 'User',
      department: null,
      manager: null,
      managerId: null,
      active: true,
    });
    expect(JSON.stringify(mapped)).not.toContain('1mz050nq');
  });

  it('maps the OneLogin template body with active as a string and the manager by managerId', () => {
    expect(mapScimUser(oneLoginCreate, [])).toMatchObject({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      department: 'Sales',
      manager: 'Grace Hopper',
      managerId: '58342954',
      active: true,
    });
    const unresolved = {
      ...oneLoginCreate,
      active: 'false',
      [ENTERPRISE_USER_SCHEMA]: { department: '', manager: { managerId: '58342954', displayName: ' ' } },
    };
    expect(mapScimUser(unresolved, [])).toMatchObject({ department: null, manager: '58342954', managerId: '58342954', active: false });
  });

  it('maps a minimal JumpCloud body', () => {
    expect(mapScimUser(jumpCloudCreate, [])).toEqual({
      userName: 'jc.test@example.com',
      externalId: null,
      email: 'jc.test@example.com',
      firstName: null,
      lastName: null,
      department: null,
      phoneNumber: null,
      title: null,
      manager: null,
      managerId: null,
      customFields: {},
      active: true,
    });
  });

  it('applies a case-only department change to the user and its group', () => {
    const before = mapScimUser({ ...entraCreate, [ENTERPRISE_USER_SCHEMA]: { department: 'dept123' } }, []);
    const after = mapScimUser({ ...entraCreate, [ENTERPRISE_USER_SCHEMA]: { department: 'Dept123' } }, []);
    expect(after.department).toBe('Dept123');
    expect(changedFields(before, after)).toEqual(['department']);
    const group = (user: typeof after) => decideGroups({ criteria: 'department', chosenTargetGroup: false, user, status: 'active' });
    expect(group(before).groupByName).toBe('dept123');
    expect(group(after).groupByName).toBe('Dept123');
  });
});
