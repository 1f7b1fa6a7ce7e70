import { mapScimUser, validateMappingPath, type FieldMapping } from '../../../src/mapping';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../../../src/scim/schema/resource-types';

const ACME_SCHEMA = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

const resource = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ACME_SCHEMA],
  userName: 'jane@example.com',
  title: 'Engineer',
  active: true,
  addresses: [
    { type: 'home', locality: 'Brighton' },
    { type: 'work', locality: ' London ', country: 'GB' },
  ],
  emails: [{ type: 'work', value: 'jane@example.com' }],
  [ENTERPRISE_USER_SCHEMA]: { costCenter: 'CC-42', employeeNumber: 1007, manager: { value: 'boss-1', displayName: 'Ada' } },
  [ACME_SCHEMA]: { badgeNumber: 'B-7', clearance: 3, contractor: false, empty: '  ', nested: { level: 'x' } },
};

const custom = (...mappings: Array<[string, string]>) =>
  mapScimUser(
    resource,
    mappings.map(([scimPath, customFieldKey]): FieldMapping => ({ scimPath, customFieldKey })),
  ).customFields;

describe('custom field mappings', () => {
  it('reads an enterprise attribute by its URN path', () => {
    expect(custom([`${ENTERPRISE_USER_SCHEMA}:costCenter`, 'cost_center'])).toEqual({ cost_center: 'CC-42' });
  });

  it('reads a value path, trimmed', () => {
    expect(custom(['addresses[type eq "work"].locality', 'office'])).toEqual({ office: 'London' });
  });

  it('reads an extension the IdP defines', () => {
    expect(custom([`${ACME_SCHEMA}:badgeNumber`, 'badge'])).toEqual({ badge: 'B-7' });
  });

  it('writes numbers and booleans as text', () => {
    expect(
      custom([`${ENTERPRISE_USER_SCHEMA}:employeeNumber`, 'number'], [`${ACME_SCHEMA}:clearance`, 'clearance'], [`${ACME_SCHEMA}:contractor`, 'contractor'], ['active', 'active']),
    ).toEqual({ number: '1007', clearance: '3', contractor: 'false', active: 'true' });
  });

  it('takes an object by its value and skips objects without one', () => {
    expect(custom([`${ENTERPRISE_USER_SCHEMA}:manager`, 'manager'], ['emails', 'email'], [`${ACME_SCHEMA}:nested`, 'nested'])).toEqual({
      manager: 'boss-1',
      email: 'jane@example.com',
    });
  });

  it('takes the first value that is not empty', () => {
    expect(custom(['addresses.locality', 'city'])).toEqual({ city: 'Brighton' });
    expect(custom([`${ACME_SCHEMA}:empty`, 'empty'])).toEqual({});
  });

  it('leaves out fields whose path finds nothing', () => {
    expect(custom(['nickName', 'nick'], ['addresses[type eq "other"].locality', 'other'])).toEqual({});
  });

  it('uses the first mapping with a value when several fill one field', () => {
    expect(custom(['nickName', 'label'], ['title', 'label'], ['userName', 'label'])).toEqual({ label: 'Engineer' });
  });

  it('skips malformed or unusable paths instead of throwing', () => {
    expect(() => custom(['emails[type eq', 'a'], ['', 'b'], ['password', 'c'], ['title', 'ok'])).not.toThrow();
    expect(custom(['emails[type eq', 'a'], ['name', 'b'], ['unknownThing', 'c'], ['title', 'ok'])).toEqual({ ok: 'Engineer' });
  });

  it('reads the manager and organisation OneLogin’s template sends, by their enterprise paths', () => {
    const oneLogin = {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'ann@example.com',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Finance', manager: { managerId: 'm-1', displayName: 'Ann Lee' }, organization: 'Acme', division: 'EMEA' },
    };
    const mappings: FieldMapping[] = [
      { scimPath: `${ENTERPRISE_USER_SCHEMA}:manager.managerId`, customFieldKey: 'manager_id' },
      { scimPath: `${ENTERPRISE_USER_SCHEMA}:manager.displayName`, customFieldKey: 'manager_name' },
      { scimPath: `${ENTERPRISE_USER_SCHEMA}:manager.value`, customFieldKey: 'manager_value' },
      { scimPath: `${ENTERPRISE_USER_SCHEMA}:organization`, customFieldKey: 'organization' },
      { scimPath: `${ENTERPRISE_USER_SCHEMA}:division`, customFieldKey: 'division' },
    ];
    for (const { scimPath } of mappings) expect([scimPath, validateMappingPath(scimPath)]).toEqual([scimPath, undefined]);
    expect(mapScimUser(oneLogin, mappings).customFields).toEqual({ manager_id: 'm-1', manager_name: 'Ann Lee', organization: 'Acme', division: 'EMEA' });
    // The enterprise manager as the RFC and Entra ID send it: its id in value.
    expect(custom([`${ENTERPRISE_USER_SCHEMA}:manager.value`, 'manager_value'], [`${ENTERPRISE_USER_SCHEMA}:manager.managerId`, 'manager_id'])).toEqual({ manager_value: 'boss-1' });
  });

  it('reads paths case-insensitively, as SCIM names are', () => {
    expect(custom([`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:COSTCENTER`, 'cost'], ['ADDRESSES[TYPE eq "work"].Locality', 'office'])).toEqual({
      cost: 'CC-42',
      office: 'London',
    });
  });
});

describe('validateMappingPath', () => {
  it.each([
    'title',
    'name.givenName',
    'emails',
    'emails[type eq "work"].value',
    'addresses[type eq "work"].locality',
    `${ENTERPRISE_USER_SCHEMA}:costCenter`,
    `${ENTERPRISE_USER_SCHEMA}:manager.displayName`,
    `${USER_SCHEMA}:title`,
    `${ACME_SCHEMA}:badgeNumber`,
    '  title  ',
  ])('accepts %s', (path) => {
    expect(validateMappingPath(path)).toBeUndefined();
  });

  it.each([
    ['', /enter a scim attribute path/i],
    ['   ', /enter a scim attribute path/i],
    ['x'.repeat(301), /at most 300 characters/],
    ['emails[type eq', /not a valid SCIM attribute path/],
    ['title.sub.more', /not a valid SCIM attribute path/],
    ['costCenter', /"costCenter" is not an attribute of a SCIM User/],
    [`${ENTERPRISE_USER_SCHEMA}:shoeSize`, /"shoeSize" is not an attribute of urn:/],
    ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName', /is not an attribute of/],
    ['password', /secret/],
    ['title[value eq "x"]', /single value/],
    ['name.nickname', /no part called "nickname"/],
    ['name', /several parts; choose one, such as name\.formatted/],
    ['addresses', /several parts; choose one, such as addresses\.formatted/],
  ])('rejects %s with a readable message', (path, message) => {
    expect(validateMappingPath(path)).toMatch(message);
  });
});
