import { ENTERPRISE, entraUser, group, memberIds, patch, patchGroup } from './support';

// Requests from MicrosoftDocs/entra-docs app-provisioning: use-scim-to-provision-users-and-groups and
// application-provisioning-config-problem-scim-compatibility (with and without aadOptscim062020).
describe('Entra ID, default PATCH dialect', () => {
  it('disables a user with the string "False" and re-enables with "True"', () => {
    const disabled = patch(entraUser(), [{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(disabled.resource.active).toBe(false);
    expect(disabled.changed).toBe(true);
    expect(patch(disabled.resource, [{ op: 'Replace', path: 'active', value: 'True' }]).resource.active).toBe(true);
  });

  it('treats the periodic active=true on an active user as no change', () => {
    expect(patch(entraUser(), [{ op: 'Replace', path: 'active', value: 'True' }]).changed).toBe(false);
  });

  it('adds a single-valued string attribute', () => {
    expect(patch(entraUser(), [{ op: 'Add', path: 'nickName', value: 'Babs' }]).resource.nickName).toBe('Babs');
  });

  it('replaces several attributes, one op each, keeping the work email the one primary element', () => {
    const { resource } = patch(entraUser(), [
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
    ]);
    expect(resource).toMatchObject({
      displayName: 'Pvlo',
      emails: [{ primary: true, type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
      name: { formatted: 'givenName familyName', givenName: 'Gtfd', familyName: 'Pkqf' },
      externalId: 'Eqpj',
      [ENTERPRISE]: { employeeNumber: 'Eqpj' },
    });
    expect(resource.emails).toHaveLength(1);
  });

  it('replaces userName', () => {
    const value = '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com';
    expect(patch(entraUser(), [{ op: 'Replace', path: 'userName', value }]).resource.userName).toBe(value);
  });

  it('sets department and manager by enterprise URN path, the manager as a bare id', () => {
    const { resource } = patch(entraUser(), [
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Sales' },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' },
    ]);
    expect(resource[ENTERPRISE]).toEqual({ department: 'Sales', manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } });
  });

  it('removes the manager with a value filter on the single-valued manager', () => {
    const managed = patch(entraUser(), [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: 'm-1' } }]).resource;
    const other = patch(managed, [{ op: 'Remove', path: `${ENTERPRISE}:manager[value eq "m-2"]` }]);
    expect(other.changed).toBe(false);
    expect(patch(managed, [{ op: 'Remove', path: `${ENTERPRISE}:manager[value eq "m-1"]` }]).resource).not.toHaveProperty(ENTERPRISE);
  });

  it('creates the mobile and work phone numbers from their value paths', () => {
    const { resource } = patch(entraUser(), [
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0199' },
    ]);
    expect(resource.phoneNumbers).toEqual([
      { type: 'mobile', value: '+1 555 0100' },
      { type: 'work', value: '+1 555 0199' },
    ]);
  });

  it('builds one work address from several value-path ops', () => {
    const { resource } = patch(entraUser(), [
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      { op: 'Replace', path: 'addresses[type eq "work"].country', value: 'US' },
    ]);
    expect(resource.addresses).toEqual([{ type: 'work', streetAddress: '1 Main St', locality: 'Redmond', postalCode: '98052', country: 'US' }]);
  });

  it('applies a case-only change', () => {
    const before = patch(entraUser(), [{ op: 'Add', path: `${ENTERPRISE}:department`, value: 'dept123' }]).resource;
    const after = patch(before, [{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Dept123' }]);
    expect(after.changed).toBe(true);
    expect(after.resource[ENTERPRISE]).toEqual({ department: 'Dept123' });
  });

  it('renames a group and adds members sent with "$ref": null', () => {
    const { resource } = patchGroup(group(), [
      { op: 'Replace', path: 'displayName', value: '1879db59updatedDisplayName' },
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] },
    ]);
    expect(resource.displayName).toBe('1879db59updatedDisplayName');
    expect(resource.members).toEqual([{ value: 'f648f8d5ea4e4cd38e9c' }]);
  });

  it('removes only the members listed in a Remove of path "members"', () => {
    const { resource } = patchGroup(group(['f648f8d5ea4e4cd38e9c', 'u1091', 'keep']), [
      { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }, { value: 'u1091' }] },
    ]);
    expect(memberIds(resource)).toEqual(['keep']);
  });
});

describe('Entra ID with aadOptscim062020', () => {
  it('disables a user with a real boolean', () => {
    expect(patch(entraUser(), [{ op: 'replace', path: 'active', value: false }]).resource.active).toBe(false);
  });

  it('adds a single-valued string attribute', () => {
    expect(patch(entraUser(), [{ op: 'add', path: 'nickName', value: 'Babs' }]).resource.nickName).toBe('Babs');
  });

  it('replaces several attributes in one path-less op with dotted and URN keys', () => {
    const { resource } = patch(entraUser(), [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
      {
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' },
      },
    ]);
    expect(resource).toMatchObject({
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua', formatted: 'givenName familyName' },
      emails: [{ value: 'TestMhvaes@test.microsoft.com', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: 'Aklq' },
    });
  });

  it('takes department and manager by URN key, or inside a nested URN object', () => {
    const byKey = patch(entraUser(), [{ op: 'replace', value: { [`${ENTERPRISE}:department`]: 'Ops', [`${ENTERPRISE}:manager`]: { value: 'm-1' } } }]);
    const nested = patch(entraUser(), [{ op: 'replace', value: { [ENTERPRISE]: { department: 'Ops', manager: { value: 'm-1' } } } }]);
    expect(byKey.resource[ENTERPRISE]).toEqual({ department: 'Ops', manager: { value: 'm-1' } });
    expect(nested.resource).toEqual(byKey.resource);
  });

  it('removes one member by value filter', () => {
    const { resource } = patchGroup(group(['7f4bc1a3-285e-48ae-8202-5accb43efb0e', 'other']), [
      { op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' },
    ]);
    expect(memberIds(resource)).toEqual(['other']);
  });
});
