import { compileFilter, matchesFilter } from '../../../../src/scim/filter/evaluate';
import { parseFilter } from '../../../../src/scim/filter/parser';
import { groupResourceType, userResourceType } from '../../../../src/scim/schema/resource-types';
import { expectBadRequest } from './expect-scim-error';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Ext-42',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: '',
  active: true,
  emails: [
    { value: 'bjensen@Example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [],
  addresses: [{ type: 'work', locality: 'Hollywood', postalCode: '91608' }],
  meta: { resourceType: 'User', created: '2024-01-10T08:00:00.000Z', lastModified: '2024-03-15T12:30:00Z' },
  [ENTERPRISE]: { department: 'Tour Operations', costCenter: '4130', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' } },
  [CUSTOM]: { location: 'Paris', floor: 3, badges: ['A', 'B'] },
};

const group = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Tour Guides',
  members: [
    { value: 'AbC-1', display: 'Babs' },
    { value: 'def-2', display: 'Mandy' },
  ],
};

const userMatches = (filter: string, resource: object = user) => matchesFilter(resource, parseFilter(filter), userResourceType);
const groupMatches = (filter: string) => matchesFilter(group, parseFilter(filter), groupResourceType);

describe('matchesFilter: strings and caseExact', () => {
  it.each([
    ['userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"', true],
    // Okta's connector test looks the user up with the userName upper-cased; userName is not caseExact.
    ['userName eq "TEST_USER_00AA00AA-BB11-CC22-DD33-44EE44EE44EE"', true],
    ['userName eq "Test_User_11111111-bb11-cc22-dd33-44ee44ee44ee"', false],
    ['emails.value eq "BJENSEN@example.COM"', true],
    ['displayName co "jen"', true],
    ['displayName sw "BABS"', true],
    ['displayName ew "SEN"', true],
    ['displayName ew "Babs"', false],
    ['displayName ne "babs jensen"', false],
    ['displayName ne "someone"', true],
    ['name.givenName eq "barbara"', true],
    ['name.familyName gt "Ja"', true],
    ['name.familyName gt "jz"', false],
    ['name.familyName ge "jensen"', true],
    ['name.familyName lt "K"', true],
    ['name.familyName le "JENSEN"', true],
    ['name.familyName le "Jense"', false],
  ])('%s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });

  it('compares caseExact attributes exactly: id, externalId, members.value', () => {
    expect(userMatches('externalId eq "Ext-42"')).toBe(true);
    expect(userMatches('externalId eq "ext-42"')).toBe(false);
    expect(userMatches('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false);
    expect(userMatches('id sw "2819c223"')).toBe(true);
    expect(groupMatches('members.value eq "AbC-1"')).toBe(true);
    expect(groupMatches('members.value eq "abc-1"')).toBe(false);
    expect(groupMatches('displayName eq "tour guides"')).toBe(true);
  });

  it('compares unquoted values as text', () => {
    expect(userMatches('externalId eq Ext-42')).toBe(true);
    expect(userMatches(`${ENTERPRISE}:costCenter eq 4130`)).toBe(true);
  });

  it('resolves attribute names case-insensitively, with or without the core schema URN', () => {
    expect(userMatches('USERNAME eq "test_user_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"')).toBe(true);
    expect(userMatches('NAME.GIVENNAME eq "Barbara"')).toBe(true);
    expect(userMatches('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "test_"')).toBe(true);
    expect(userMatches('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:name.givenName eq "Barbara"')).toBe(true);
  });

  it('finds stored keys whose case differs from the schema', () => {
    expect(userMatches('displayName eq "x"', { DisplayName: 'X' })).toBe(true);
  });
});

describe('matchesFilter: multi-valued and complex attributes', () => {
  it.each([
    ['emails co "jensen.org"', true],
    ['emails eq "babs@jensen.org"', true],
    ['emails sw "nobody"', false],
    ['emails.type eq "home"', true],
    ['emails.type eq "other"', false],
    ['emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "home" and value co "@example.com"]', false],
    ['emails[type eq "home" or primary eq true]', true],
    ['emails[not (type eq "work")]', true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', true],
    ['emails[type eq "home"].value eq "bjensen@example.com"', false],
    ['addresses[type eq "work"].locality eq "hollywood"', true],
    ['emails[primary eq true] and addresses[postalCode sw "916"]', true],
    ['phoneNumbers[type eq "work"]', false],
    ['emails.type ne "work"', true],
  ])('%s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });

  it('matches groups by member', () => {
    expect(groupMatches('members[value eq "def-2"]')).toBe(true);
    expect(groupMatches('members eq "def-2"')).toBe(true);
    expect(groupMatches('members[value eq "xyz"]')).toBe(false);
    expect(groupMatches('members[display co "mandy" and value eq "def-2"]')).toBe(true);
  });

  it('rejects ordering or comparing a complex attribute as a whole', () => {
    expectBadRequest(() => userMatches('emails gt "a"'), 'invalidFilter', /"emails" is a complex attribute and cannot be ordered with gt/);
    expectBadRequest(() => userMatches('name eq "Barbara"'), 'invalidFilter', /"name" is a complex attribute; compare one of its sub-attributes \(formatted/);
    expectBadRequest(() => userMatches('meta le "2024"'), 'invalidFilter', /complex/);
  });

  it('rejects a value filter on a simple attribute', () => {
    expectBadRequest(() => userMatches('userName[value eq "x"]'), 'invalidFilter', /not a complex attribute/);
  });
});

describe('matchesFilter: booleans, dates and null', () => {
  it.each([
    ['active eq true', true],
    ['active eq false', false],
    ['active ne false', true],
    ['active eq "True"', true],
    ['emails[primary eq true].type eq "work"', true],
  ])('%s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });

  it('reads boolean strings in stored data (OneLogin sends active as a string)', () => {
    expect(userMatches('active eq false', { active: 'False' })).toBe(true);
  });

  it.each(['active gt true', 'active ge false', 'active lt true', 'active le true', 'active co "t"', 'active sw "t"', 'active ew "e"'])(
    '%s is invalidFilter',
    (filter) => {
      expectBadRequest(() => userMatches(filter), 'invalidFilter', /"active" is a boolean; only eq and ne/);
    },
  );

  it('rejects a boolean compared with something else', () => {
    expectBadRequest(() => userMatches('active eq "yes"'), 'invalidFilter', /compare it with true or false/);
    expectBadRequest(() => userMatches('active eq 1'), 'invalidFilter', /compare it with true or false/);
  });

  it.each([
    ['meta.lastModified gt "2024-03-01T00:00:00Z"', true],
    ['meta.lastModified gt "2024-03-15T12:30:00Z"', false],
    ['meta.lastModified ge "2024-03-15T12:30:00.000Z"', true],
    ['meta.lastModified eq "2024-03-15T13:30:00+01:00"', true],
    ['meta.lastModified lt "2024-03-15T12:30:01Z"', true],
    ['meta.lastModified le "2024-03-15"', false],
    ['meta.created lt "2024-01-10T08:00:00.001Z"', true],
    ['meta.created ne "2024-01-10T08:00:00Z"', false],
    ['meta.created sw "2024-01"', true],
    ['meta.created gt "2024-01-09" and meta.lastModified lt "2024-04-01"', true],
  ])('compares dates as dates: %s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });

  it('rejects a dateTime compared with something that is not a date', () => {
    expectBadRequest(() => userMatches('meta.lastModified gt "yesterday"'), 'invalidFilter', /dateTime/);
    expectBadRequest(() => userMatches('meta.lastModified gt true'), 'invalidFilter', /dateTime/);
  });

  it('treats eq null as absent and ne null as present', () => {
    expect(userMatches('nickName eq null')).toBe(true);
    expect(userMatches('nickName ne null')).toBe(false);
    expect(userMatches('displayName ne null')).toBe(true);
    expect(userMatches('emails.type eq null')).toBe(false);
    expectBadRequest(() => userMatches('displayName co null'), 'invalidFilter', /null only by eq or ne/);
  });
});

describe('matchesFilter: absent and unknown attributes', () => {
  it('pr is false for absent, null, empty strings, empty arrays and empty objects', () => {
    const sparse = { userName: 'x', nickName: null, title: '', emails: [], name: {}, phoneNumbers: [{ value: '' }] };
    for (const attribute of ['nickName', 'title', 'emails', 'name', 'locale', 'phoneNumbers.value', 'name.givenName']) {
      expect(userMatches(`${attribute} pr`, sparse)).toBe(false);
    }
    expect(userMatches('userName pr', sparse)).toBe(true);
    expect(userMatches('phoneNumbers pr', sparse)).toBe(true);
    expect(userMatches('emails pr')).toBe(true);
    expect(userMatches('active pr', { active: false })).toBe(true);
    expect(userMatches(`${ENTERPRISE}:manager.value pr`)).toBe(true);
  });

  it('an absent attribute matches only ne', () => {
    expect(userMatches('nickName eq "x"')).toBe(false);
    expect(userMatches('nickName co "x"')).toBe(false);
    expect(userMatches('nickName gt "a"')).toBe(false);
    expect(userMatches('nickName ne "x"')).toBe(true);
  });

  it('unknown attributes never match and never throw, whatever the operator', () => {
    for (const filter of ['foo eq "x"', 'foo ne "x"', 'foo gt true', 'foo pr', 'name.nickname eq "x"', 'foo[bar eq 1]', 'emails[foo eq "x"]', 'userName.sub eq "x"']) {
      expect(userMatches(filter)).toBe(false);
    }
    expect(userMatches('not (foo eq "x")')).toBe(true);
    expect(userMatches(`${ENTERPRISE}:shoeSize eq "x"`)).toBe(false);
    expect(groupMatches('userName eq "x"')).toBe(false);
    expect(groupMatches('urn:ietf:params:scim:schemas:core:2.0:User:userName pr')).toBe(false);
  });

  it('reads a resource whose values have unexpected shapes without throwing', () => {
    const odd = { userName: 42, name: 'not an object', emails: [null, 'x', { value: 7 }], active: 'maybe', meta: { lastModified: 'garbage' } };
    expect(userMatches('userName eq "42"', odd)).toBe(true);
    expect(userMatches('name.givenName pr', odd)).toBe(false);
    expect(userMatches('emails.value eq "7"', odd)).toBe(true);
    expect(userMatches('active eq true', odd)).toBe(false);
    expect(userMatches('meta.lastModified gt "2020-01-01"', odd)).toBe(false);
  });
});

describe('matchesFilter: extensions', () => {
  it.each([
    [`${ENTERPRISE}:department eq "tour operations"`, true],
    [`${ENTERPRISE.toUpperCase()}:DEPARTMENT sw "Tour"`, true],
    [`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    [`${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    [`${ENTERPRISE}:manager[displayName co "smith"]`, true],
    [`${ENTERPRISE}:department eq "Sales"`, false],
  ])('%s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });

  it('reads attributes of custom extensions by key, case-insensitively, as strings', () => {
    expect(userMatches(`${CUSTOM}:location eq "paris"`)).toBe(true);
    expect(userMatches(`${CUSTOM.toLowerCase()}:LOCATION eq "PARIS"`)).toBe(true);
    expect(userMatches(`${CUSTOM}:floor eq "3"`)).toBe(true);
    expect(userMatches(`${CUSTOM}:floor eq 3`)).toBe(true);
    expect(userMatches(`${CUSTOM}:badges eq "b"`)).toBe(true);
    expect(userMatches(`${CUSTOM}:missing pr`)).toBe(false);
    expect(userMatches('urn:example:other:1.0:User:location pr')).toBe(false);
  });
});

describe('matchesFilter: logic', () => {
  it.each([
    ['userName sw "test" and active eq true', true],
    ['userName sw "test" and active eq false', false],
    ['userName sw "nobody" or active eq true', true],
    ['not (active eq true)', false],
    ['not active eq false and userName pr', true],
    ['title pr or (displayName co "babs" and not (emails.type eq "other"))', true],
  ])('%s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });

  it('reports a filter that is invalid for the schema even when the data would not reach it', () => {
    expectBadRequest(() => userMatches('userName eq "nobody" and active gt true'), 'invalidFilter');
    expectBadRequest(() => userMatches('phoneNumbers[primary gt true]'), 'invalidFilter');
  });

  it('compileFilter resolves once and tests many resources', () => {
    const test = compileFilter(parseFilter('emails[type eq "work"]'), userResourceType);
    expect([user, { emails: [{ type: 'home' }] }, {}].map(test)).toEqual([true, false, false]);
  });

  it('evaluates the longest filter the parser accepts', () => {
    const chain = `${Array.from({ length: 800 }, () => 'foo pr').join(' or ')} or userName pr`;
    expect(chain.length).toBeLessThanOrEqual(8192);
    expect(userMatches(chain)).toBe(true);
  });
});
