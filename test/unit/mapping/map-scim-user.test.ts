import { mapScimUser } from '../../../src/mapping';
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/resource-types';

const map = (resource: object) => mapScimUser(resource, []);

describe('mapScimUser', () => {
  describe('email', () => {
    it('takes the primary address', () => {
      const emails = [
        { type: 'work', value: 'work@example.com' },
        { type: 'home', value: 'home@example.com', primary: true },
      ];
      expect(map({ emails }).email).toBe('home@example.com');
    });

    it('reads primary written as a string', () => {
      const emails = [{ value: 'first@example.com' }, { value: 'second@example.com', primary: 'True' }];
      expect(map({ emails }).email).toBe('second@example.com');
    });

    it('falls back to the work address, then the first', () => {
      expect(map({ emails: [{ type: 'home', value: 'h@example.com' }, { type: 'Work', value: 'w@example.com' }] }).email).toBe('w@example.com');
      expect(map({ emails: [{ type: 'home', value: 'h@example.com' }, { type: 'other', value: 'o@example.com' }] }).email).toBe('h@example.com');
    });

    it('never picks an element without a value', () => {
      expect(map({ emails: [{ primary: true, value: '  ' }, { type: 'work', value: 'w@example.com' }] }).email).toBe('w@example.com');
      expect(map({ emails: [] }).email).toBeNull();
      expect(map({}).email).toBeNull();
    });

    it('keeps letter case', () => {
      expect(map({ emails: [{ value: ' Jane.Doe@Example.com ' }] }).email).toBe('Jane.Doe@Example.com');
    });
  });

  describe('name', () => {
    it('takes givenName and familyName', () => {
      expect(map({ name: { givenName: ' Jane ', familyName: 'Doe', formatted: 'Dr Jane Doe' }, displayName: 'JD' })).toMatchObject({
        firstName: 'Jane',
        lastName: 'Doe',
      });
    });

    it('does not complete one structured part from the formatted name', () => {
      expect(map({ name: { givenName: 'Cher', formatted: 'Cher Sarkisian' } })).toMatchObject({ firstName: 'Cher', lastName: null });
    });

    it('splits name.formatted, else displayName, only when both parts are missing', () => {
      expect(map({ name: { givenName: '', familyName: ' ', formatted: 'Jane  van Doe' } })).toMatchObject({ firstName: 'Jane', lastName: 'van Doe' });
      expect(map({ displayName: 'Jane Doe' })).toMatchObject({ firstName: 'Jane', lastName: 'Doe' });
      expect(map({ displayName: 'Madonna' })).toMatchObject({ firstName: 'Madonna', lastName: null });
      expect(map({})).toMatchObject({ firstName: null, lastName: null });
    });
  });

  describe('phone number', () => {
    const phone = (phoneNumbers: object[]) => map({ phoneNumbers }).phoneNumber;

    it('prefers work, then mobile, then primary, then the first', () => {
      expect(phone([{ type: 'mobile', value: 'm' }, { type: 'work', value: 'w' }, { type: 'home', value: 'h', primary: true }])).toBe('w');
      expect(phone([{ type: 'home', value: 'h', primary: true }, { type: 'mobile', value: 'm' }])).toBe('m');
      expect(phone([{ type: 'fax', value: 'f' }, { type: 'home', value: 'h', primary: true }])).toBe('h');
      expect(phone([{ type: 'fax', value: 'f' }, { type: 'home', value: 'h' }])).toBe('f');
      expect(phone([])).toBeNull();
    });
  });

  describe('enterprise attributes', () => {
    const enterprise = (extension: object) => map({ [ENTERPRISE_USER_SCHEMA]: extension });

    it('takes the department, trimmed, in its exact case', () => {
      expect(enterprise({ department: '  R&D Europe ' }).department).toBe('R&D Europe');
      expect(enterprise({ department: '' }).department).toBeNull();
      expect(map({ department: 'core is not enterprise' }).department).toBeNull();
    });

    it('takes the manager display name, else value, else managerId', () => {
      expect(enterprise({ manager: { value: 'id-1', displayName: 'Ada Lovelace', managerId: 'm-1' } }).manager).toBe('Ada Lovelace');
      expect(enterprise({ manager: { value: 'id-1', managerId: 'm-1' } }).manager).toBe('id-1');
      expect(enterprise({ manager: { managerId: 'm-1' } }).manager).toBe('m-1');
    });

    it('keeps the manager’s id apart: value, else OneLogin’s managerId, else the bare id', () => {
      expect(enterprise({ manager: { value: 'id-1', displayName: 'Ada Lovelace', managerId: 'm-1' } }).managerId).toBe('id-1');
      expect(enterprise({ manager: { managerId: 'm-1', displayName: 'Ada Lovelace' } }).managerId).toBe('m-1');
      expect(enterprise({ manager: ' e-1 ' }).managerId).toBe('e-1');
      expect(enterprise({ manager: { displayName: 'Ada Lovelace' } }).managerId).toBeNull();
    });

    it('treats empty and blank manager parts as missing', () => {
      expect(enterprise({ manager: { managerId: '42', displayName: ' ' } }).manager).toBe('42');
      expect(enterprise({ manager: { managerId: '', displayName: '' } }).manager).toBeNull();
    });

    it('keeps a manager sent as a bare id, as Entra PATCHes it', () => {
      expect(enterprise({ manager: ' 26118915-6090-4610-87e4-49d8ca9f808d ' }).manager).toBe('26118915-6090-4610-87e4-49d8ca9f808d');
    });
  });

  describe('active', () => {
    it.each([
      [true, true],
      [false, false],
      ['true', true],
      ['False', false],
      [' FALSE ', false],
      ['TRUE', true],
    ])('reads %p as %p', (active, expected) => {
      expect(map({ active }).active).toBe(expected);
    });

    it.each([undefined, null, '', '{$user.active}', 0, {}])('leaves the user active for %p', (active) => {
      expect(map(active === undefined ? {} : { active }).active).toBe(true);
    });
  });

  it('trims scalar attributes, keeps their case and turns blanks into null', () => {
    expect(map({ userName: ' Jane@Example.com ', externalId: ' Abc ', title: '   ' })).toMatchObject({
      userName: 'Jane@Example.com',
      externalId: 'Abc',
      title: null,
    });
  });

  it('reads attribute names in any case, as RFC 7643 makes them case-insensitive', () => {
    const resource = { USERNAME: 'jane', Emails: [{ Value: 'j@example.com' }], [ENTERPRISE_USER_SCHEMA.toLowerCase()]: { Department: 'Ops' } };
    expect(map(resource)).toMatchObject({ userName: 'jane', email: 'j@example.com', department: 'Ops' });
  });

  it('gives an empty user for an empty resource', () => {
    expect(map({})).toEqual({
      userName: null,
      externalId: null,
      email: null,
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
});
