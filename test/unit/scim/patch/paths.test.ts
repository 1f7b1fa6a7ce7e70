import { USER_SCHEMA } from '../../../../src/scim/schema/resource-types';
import { ENTERPRISE, entraUser, patch } from './support';

const plainUser = () => ({ schemas: [USER_SCHEMA], id: 'u-2', userName: 'ann' });

describe('paths to simple and complex attributes', () => {
  it('writes canonical attribute names whatever case the path uses', () => {
    const { resource } = patch(plainUser(), [
      { op: 'add', path: 'DISPLAYNAME', value: 'Ann' },
      { op: 'add', path: 'Name.GivenName', value: 'Ann' },
      { op: 'add', path: 'EMAILS[Type eq "work"].Value', value: 'ann@example.com' },
      { op: 'add', path: `${ENTERPRISE.toUpperCase()}:Department`, value: 'R&D' },
    ]);
    expect(resource).toEqual({
      ...plainUser(),
      schemas: [USER_SCHEMA, ENTERPRISE],
      displayName: 'Ann',
      name: { givenName: 'Ann' },
      emails: [{ type: 'work', value: 'ann@example.com' }],
      [ENTERPRISE]: { department: 'R&D' },
    });
  });

  it('merges a complex value into the existing one (RFC 7644 §3.5.2.3)', () => {
    const { resource } = patch(entraUser(), [{ op: 'replace', path: 'name', value: { givenName: 'New', honorificPrefix: 'Dr' } }]);
    expect(resource.name).toEqual({ formatted: 'givenName familyName', familyName: 'familyName', givenName: 'New', honorificPrefix: 'Dr' });
  });

  it('removes attributes and sub-attributes, dropping emptied complex and extension objects', () => {
    const start = patch(plainUser(), [
      { op: 'add', path: 'name.givenName', value: 'Ann' },
      { op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'm-1' },
    ]).resource;
    const { resource } = patch(start, [
      { op: 'remove', path: 'name.givenName' },
      { op: 'remove', path: `${ENTERPRISE}:manager.value` },
      { op: 'remove', path: 'userName' },
    ]);
    expect(resource).toEqual({ schemas: [USER_SCHEMA, ENTERPRISE], id: 'u-2' });
  });

  it('clears an attribute replaced with null', () => {
    expect(patch(entraUser(), [{ op: 'replace', path: 'name.givenName', value: null }]).resource.name).not.toHaveProperty('givenName');
  });

  it('accepts the enterprise extension URN as a path, and removes the extension by it', () => {
    const added = patch(plainUser(), [{ op: 'add', path: ENTERPRISE, value: { department: 'Ops', manager: { value: 'm-1', displayName: 'Boss' } } }]);
    expect(added.resource[ENTERPRISE]).toEqual({ department: 'Ops', manager: { value: 'm-1', displayName: 'Boss' } });
    expect(patch(added.resource, [{ op: 'remove', path: ENTERPRISE }]).resource).not.toHaveProperty(ENTERPRISE);
  });
});

describe('value paths', () => {
  it('updates only the element the filter selects', () => {
    const user = { ...plainUser(), emails: [{ type: 'home', value: 'h@x' }, { type: 'work', value: 'w@x' }] };
    const { resource } = patch(user, [{ op: 'replace', path: 'emails[type eq "WORK"].value', value: 'new@x' }]);
    expect(resource.emails).toEqual([{ type: 'home', value: 'h@x' }, { type: 'work', value: 'new@x' }]);
  });

  it('creates an element from every equality of an "and" filter', () => {
    const { resource } = patch(plainUser(), [{ op: 'add', path: 'emails[type eq "work" and primary eq true].value', value: 'w@x' }]);
    expect(resource.emails).toEqual([{ type: 'work', primary: true, value: 'w@x' }]);
  });

  it('merges an element value on add and replaces it on replace', () => {
    const user = { ...plainUser(), addresses: [{ type: 'work', locality: 'Oslo', country: 'NO' }] };
    const added = patch(user, [{ op: 'add', path: 'addresses[type eq "work"]', value: { postalCode: '0150' } }]);
    expect(added.resource.addresses).toEqual([{ type: 'work', locality: 'Oslo', country: 'NO', postalCode: '0150' }]);
    const replaced = patch(user, [{ op: 'replace', path: 'addresses[type eq "work"]', value: { type: 'work', locality: 'Bergen' } }]);
    expect(replaced.resource.addresses).toEqual([{ type: 'work', locality: 'Bergen' }]);
  });

  it('removes the selected elements, or one sub-attribute of them', () => {
    const user = { ...plainUser(), emails: [{ type: 'work', value: 'a@x', primary: true }, { type: 'home', value: 'b@x' }] };
    expect(patch(user, [{ op: 'remove', path: 'emails[type eq "work"]' }]).resource.emails).toEqual([{ type: 'home', value: 'b@x' }]);
    expect(patch(user, [{ op: 'remove', path: 'emails[type eq "work"].primary' }]).resource.emails).toEqual([
      { type: 'work', value: 'a@x' },
      { type: 'home', value: 'b@x' },
    ]);
  });

  it('changes nothing when a remove filter selects nothing', () => {
    const result = patch(entraUser(), [{ op: 'remove', path: 'emails[type eq "home"]' }]);
    expect(result.changed).toBe(false);
  });
});

describe('multi-valued attributes', () => {
  it('appends on add, skipping elements already there', () => {
    const { resource } = patch(entraUser(), [
      { op: 'add', path: 'emails', value: [{ primary: true, type: 'work', value: 'Test_User@testuser.com' }, { type: 'home', value: 'h@x' }] },
    ]);
    expect(resource.emails).toEqual([
      { primary: true, type: 'work', value: 'Test_User@testuser.com' },
      { type: 'home', value: 'h@x' },
    ]);
  });

  it('replaces the whole array on replace', () => {
    const { resource } = patch(entraUser(), [{ op: 'replace', path: 'emails', value: [{ type: 'home', value: 'h@x' }] }]);
    expect(resource.emails).toEqual([{ type: 'home', value: 'h@x' }]);
  });

  it('keeps one primary element: the one an op made primary', () => {
    const added = patch(entraUser(), [{ op: 'add', path: 'emails', value: [{ type: 'home', value: 'h@x', primary: true }] }]);
    expect(added.resource.emails).toEqual([
      { primary: false, type: 'work', value: 'Test_User@testuser.com' },
      { type: 'home', value: 'h@x', primary: true },
    ]);
    const switched = patch(added.resource, [{ op: 'replace', path: 'emails[type eq "work"].primary', value: 'True' }]);
    expect(switched.resource.emails).toEqual([
      { primary: true, type: 'work', value: 'Test_User@testuser.com' },
      { type: 'home', value: 'h@x', primary: false },
    ]);
  });
});

describe('booleans', () => {
  it.each([['true', true], ['TRUE', true], ['False', false], [false, false]])('reads %p as %p', (value, expected) => {
    expect(patch(entraUser(), [{ op: 'replace', path: 'active', value }]).resource.active).toBe(expected);
  });
});

describe('changed', () => {
  it('is false when the operations leave the resource as it was', () => {
    const result = patch(entraUser(), [
      { op: 'replace', path: 'displayName', value: 'temporary' },
      { op: 'remove', path: 'displayName' },
      { op: 'replace', path: 'name.givenName', value: 'givenName' },
    ]);
    expect(result.changed).toBe(false);
    expect(result.resource).toEqual(entraUser());
  });
});
