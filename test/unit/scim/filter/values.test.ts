import { parsePatchPath } from '../../../../src/scim/filter/parser';
import { valuesAtPath } from '../../../../src/scim/filter/values';
import { groupResourceType, userResourceType } from '../../../../src/scim/schema/resource-types';
import { expectBadRequest } from './expect-scim-error';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

const user = {
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  nickName: null,
  active: false,
  emails: [
    { value: 'b@work.example', type: 'work', primary: true },
    { value: 'b@home.example', type: 'home' },
    { value: 'b2@work.example', type: 'Work' },
  ],
  addresses: [
    { type: 'work', locality: 'Hollywood' },
    { type: 'home', locality: 'Burbank' },
  ],
  [ENTERPRISE]: { costCenter: '4130', department: 'Sales', manager: { value: 'm-1', displayName: 'John' } },
  [CUSTOM]: { Location: 'Paris', floor: 3, remote: true, tags: ['a', 7], badge: { id: 9 } },
};

const at = (path: string, resource: object = user) => valuesAtPath(resource, parsePatchPath(path), userResourceType);

describe('valuesAtPath', () => {
  it.each([
    ['userName', ['bjensen']],
    ['USERNAME', ['bjensen']],
    ['name.givenName', ['Barbara']],
    ['name', [{ givenName: 'Barbara', familyName: 'Jensen' }]],
    ['active', [false]],
    ['nickName', []],
    ['title', []],
    ['emails.value', ['b@work.example', 'b@home.example', 'b2@work.example']],
    ['emails[type eq "work"].value', ['b@work.example', 'b2@work.example']],
    ['emails[type eq "work" and primary eq true].value', ['b@work.example']],
    ['addresses[type eq "work"].locality', ['Hollywood']],
    ['addresses[type eq "other"].locality', []],
    ['phoneNumbers[type eq "mobile"].value', []],
    [`${ENTERPRISE}:costCenter`, ['4130']],
    [`${ENTERPRISE}:manager.value`, ['m-1']],
    [`${ENTERPRISE}:manager`, [{ value: 'm-1', displayName: 'John' }]],
    [`${ENTERPRISE}:manager[value eq "m-1"].displayName`, ['John']],
    [`${ENTERPRISE}:division`, []],
    ['urn:ietf:params:scim:schemas:core:2.0:User:name.familyName', ['Jensen']],
  ])('%s → %j', (path, expected) => {
    expect(at(path)).toEqual(expected);
  });

  it('returns the selected elements when the value path has no sub-attribute', () => {
    expect(at('emails[type eq "home"]')).toEqual([{ value: 'b@home.example', type: 'home' }]);
    expect(valuesAtPath({ members: [{ value: 'a' }, { value: 'b' }] }, parsePatchPath('members[value eq "b"]'), groupResourceType)).toEqual([{ value: 'b' }]);
  });

  it('reads custom extensions by key, case-insensitively, with simple values as strings', () => {
    expect(at(`${CUSTOM}:location`)).toEqual(['Paris']);
    expect(at(`${CUSTOM.toUpperCase()}:LOCATION`)).toEqual(['Paris']);
    expect(at(`${CUSTOM}:floor`)).toEqual(['3']);
    expect(at(`${CUSTOM}:remote`)).toEqual(['true']);
    expect(at(`${CUSTOM}:tags`)).toEqual(['a', '7']);
    expect(at(`${CUSTOM}:badge.id`)).toEqual(['9']);
    expect(at(`${CUSTOM}:missing`)).toEqual([]);
    expect(at('urn:example:absent:1.0:User:x')).toEqual([]);
  });

  it('selects nothing for paths this resource type cannot have', () => {
    expect(at('shoeSize')).toEqual([]);
    expect(at('name.shoeSize')).toEqual([]);
    expect(at('userName.x')).toEqual([]);
    expect(at('userName[value eq "x"]')).toEqual([]);
    expect(at('emails[type eq "work"].shoeSize')).toEqual([]);
    expect(at(`${ENTERPRISE}:shoeSize`)).toEqual([]);
    expect(valuesAtPath(user, parsePatchPath('userName'), groupResourceType)).toEqual([]);
  });

  it('copes with values of unexpected shapes', () => {
    expect(at('emails[type eq "work"].value', { emails: [null, 'x', { type: 'work' }, { type: 'work', value: 'v' }] })).toEqual(['v']);
    expect(at('name.givenName', { name: 'flat' })).toEqual([]);
    expect(at(`${ENTERPRISE}:department`, { [ENTERPRISE]: 'not an object' })).toEqual([]);
  });

  it('rejects a value filter that is invalid for the schema', () => {
    expectBadRequest(() => at('emails[primary gt true].value'), 'invalidFilter', /boolean/);
  });
});
