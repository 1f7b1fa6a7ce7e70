import { parsePatchPath } from '../../../../src/scim/filter/parser';
import { expectBadRequest } from './expect-scim-error';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parsePatchPath', () => {
  it.each([
    ['members', { path: { attribute: 'members' } }],
    ['active', { path: { attribute: 'active' } }],
    ['name.givenName', { path: { attribute: 'name', subAttribute: 'givenName' } }],
    [`${ENTERPRISE}:department`, { path: { schema: ENTERPRISE, attribute: 'department' } }],
    [`${ENTERPRISE}:manager`, { path: { schema: ENTERPRISE, attribute: 'manager' } }],
    [`${ENTERPRISE}:manager.value`, { path: { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' } }],
    [
      'urn:ietf:params:scim:schemas:extension:custom:2.0:User:location',
      { path: { schema: 'urn:ietf:params:scim:schemas:extension:custom:2.0:User', attribute: 'location' } },
    ],
  ])('parses the attribute path %s', (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected);
  });

  it('parses a value path selecting members (Okta, Entra with aadOptscim062020)', () => {
    expect(parsePatchPath('members[value eq "abc"]')).toEqual({
      path: { attribute: 'members' },
      valueFilter: { kind: 'compare', path: { attribute: 'value' }, operator: 'eq', value: 'abc' },
    });
  });

  it.each([
    ['emails[type eq "work"].value', 'emails', 'value'],
    ['phoneNumbers[type eq "mobile"].value', 'phoneNumbers', 'value'],
    ['addresses[type eq "work"].locality', 'addresses', 'locality'],
  ])('parses Entra’s %s', (text, attribute, subAttribute) => {
    expect(parsePatchPath(text)).toEqual({
      path: { attribute },
      valueFilter: { kind: 'compare', path: { attribute: 'type' }, operator: 'eq', value: text.match(/"(\w+)"/)?.[1] },
      subAttribute,
    });
  });

  it('allows logic inside the value filter', () => {
    expect(parsePatchPath('emails[type eq "work" and primary eq true].value')).toMatchObject({
      valueFilter: { kind: 'and' },
      subAttribute: 'value',
    });
  });

  it('tolerates surrounding whitespace', () => {
    expect(parsePatchPath('  members  ')).toEqual({ path: { attribute: 'members' } });
  });

  it.each([
    ['', /empty/],
    ['name givenName', /character 6: expected "\[" or the end of the path, found "givenName"/],
    ['name.givenName.x', /more than one sub-attribute/],
    ['emails[type eq "work"', /expected "]" to close/],
    ['emails[type eq]', /expected a value after "eq"/],
    ['emails[]', /expected an attribute name/],
    ['emails[type eq "work"]value', /expected "\." and a sub-attribute/],
    ['emails[type eq "work"].value.x', /not a valid sub-attribute name/],
    ['emails[type eq "work"].value extra', /expected the end of the path/],
    ['emails[type eq "work"][primary eq true]', /expected "\." and a sub-attribute/],
    ['emails[type eq "work" and x[y pr]]', /cannot be nested/],
    ['name.givenName[x pr]', /cannot follow the sub-attribute/],
    ['(members)', /expected an attribute name/],
    ['members eq "x"', /expected "\[" or the end of the path/],
    ['"members"', /expected an attribute name/],
    ['mem bers', /expected "\[" or the end/],
    ['me!mbers', /not a valid attribute name/],
  ])('rejects %j with invalidPath', (text, detail) => {
    expectBadRequest(() => parsePatchPath(text), 'invalidPath', detail);
  });

  it('says "path" rather than "filter" in its messages', () => {
    expectBadRequest(() => parsePatchPath('members['), 'invalidPath', /^Invalid path at character 9: .* the end of the path$/);
  });
});
