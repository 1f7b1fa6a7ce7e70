import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting } from '../../factories';
import { ENTERPRISE, LIST_SCHEMA, scimClient, type ScimClient, scimError, USER_SCHEMA, userFilter } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { systemEnv } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * GET /Users with filter, startIndex/count and attributes/excludedAttributes, over HTTP on
 * stored users (RFC 7644 §3.4.2). Users are created once; every test only reads.
 */
describe('SCIM Users: filters, paging and attribute selection over HTTP', () => {
  let system: TestSystem;
  let idp: ScimClient;
  let pager: ScimClient;
  const ids: Record<string, string> = {};
  const lastModified: Record<string, string> = {};

  const people = {
    alice: {
      userName: 'alice@x.com',
      externalId: 'ext-a',
      name: { givenName: 'Alice', familyName: 'Smith' },
      emails: [
        { value: 'alice@x.com', type: 'work', primary: true },
        { value: 'alice@home.org', type: 'home' },
      ],
      title: 'Engineer',
      active: true,
      [ENTERPRISE]: { department: 'R&D', employeeNumber: '100' },
    },
    bob: {
      userName: 'bob@y.com',
      externalId: 'ext-b',
      name: { givenName: 'Bob', familyName: 'Jones' },
      emails: [{ value: 'bob@y.com', type: 'work' }],
      title: 'Manager',
      active: false,
      [ENTERPRISE]: { department: 'Sales' },
    },
    carol: {
      userName: 'Carol@x.com',
      name: { givenName: 'Carol', familyName: 'Smith' },
      emails: [
        { value: 'carol@x.com', type: 'home' },
        { value: 'carol@corp.org', type: 'work' },
      ],
      active: true,
      [ENTERPRISE]: { department: 'Sales' },
    },
    dave: {
      userName: 'dave@z.org',
      name: { givenName: 'Dave' },
      title: 'engineer',
      active: true,
    },
  };
  type Person = keyof typeof people;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_filters', { env: systemEnv });
    const company = await makeCompany(system.models);
    const { token } = await makeScimSetting(system.models, company._id);
    idp = scimClient(system, token);
    for (const [key, body] of Object.entries(people)) {
      const created = await idp.post('/Users', { schemas: [USER_SCHEMA], ...body });
      expect(created.status).toBe(201);
      ids[key] = created.body.id;
      lastModified[key] = created.body.meta.lastModified;
      // Distinct timestamps, so date comparisons have something to tell apart: the next user is
      // created once the clock has passed this one's lastModified (the intake runs in this process).
      const stamp = Date.parse(created.body.meta.lastModified as string);
      await eventually(async () => Date.now(), (now) => now > stamp, 1000, 1);
    }
    const { token: pagingToken } = await makeScimSetting(system.models, company._id);
    pager = scimClient(system, pagingToken);
    for (let i = 0; i < 25; i += 1) {
      expect((await pager.post('/Users', { userName: `page-${String(i).padStart(2, '0')}@example.com`, active: i % 3 !== 0 })).status).toBe(201);
    }
    await system.idle();
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
  });

  async function matching(filter: string): Promise<Person[]> {
    const res = await idp.get(userFilter(filter));
    expect({ filter, status: res.status }).toEqual({ filter, status: 200 });
    expect(res.body.totalResults).toBe(res.body.Resources.length);
    const byId = new Map(Object.entries(ids).map(([key, id]) => [id, key as Person]));
    return (res.body.Resources as { id: string }[]).map((r) => byId.get(r.id) as Person).sort();
  }

  it.each<[string, Person[]]>([
    ['userName eq "alice@x.com"', ['alice']],
    ['USERNAME EQ "ALICE@X.COM"', ['alice']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "carol@x.com"', ['carol']],
    ['userName ne "alice@x.com"', ['bob', 'carol', 'dave']],
    ['userName co "@X."', ['alice', 'carol']],
    ['userName sw "B"', ['bob']],
    ['userName ew ".org"', ['dave']],
    ['userName gt "bob@y.com"', ['carol', 'dave']],
    ['userName ge "bob@y.com"', ['bob', 'carol', 'dave']],
    ['userName lt "bob@y.com"', ['alice']],
    ['userName le "bob@y.com"', ['alice', 'bob']],
    ['title pr', ['alice', 'bob', 'dave']],
    ['not (title pr)', ['carol']],
    ['title eq "ENGINEER"', ['alice', 'dave']],
    ['active eq false', ['bob']],
    ['active Eq TRUE and title pr', ['alice', 'dave']],
    ['title eq "Manager" Or userName sw "dave"', ['bob', 'dave']],
    ['not (active eq true)', ['bob']],
    ['(title eq "Engineer" or title eq "Manager") and active eq true', ['alice', 'dave']],
    ['title eq "Engineer" or (title eq "Manager" and active eq true)', ['alice', 'dave']],
    ['emails[type eq "work" and value co "@x"]', ['alice']],
    ['EMAILS[TYPE EQ "work"]', ['alice', 'bob', 'carol']],
    ['emails[type eq "home"] and not (emails[type eq "work" and value ew "corp.org"])', ['alice']],
    ['emails.value ew "@x.com"', ['alice', 'carol']],
    ['emails co "corp"', ['carol']],
    ['name.familyName eq "smith"', ['alice', 'carol']],
    ['name.familyName pr', ['alice', 'bob', 'carol']],
    [`${ENTERPRISE}:department eq "Sales"`, ['bob', 'carol']],
    [`${ENTERPRISE}:employeeNumber pr`, ['alice']],
    ['externalId eq "ext-a"', ['alice']],
    ['externalId eq "EXT-A"', []],
    ['externalId eq "ext-a" or externalId eq "ext-b"', ['alice', 'bob']],
    ['userName eq "alice@x.com" and active eq false', []],
    ['userName eq "nobody@x.com"', []],
  ])('%s', async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it('finds a user by id, and only in its own setting', async () => {
    expect(await matching(`id eq "${ids.bob}"`)).toEqual(['bob']);
    expect((await pager.get(userFilter(`id eq "${ids.bob}"`))).body.totalResults).toBe(0);
  });

  it('compares meta dates as dates, whatever their text', async () => {
    const carol = new Date(lastModified.carol as string);
    // The same instant two hours ahead: as text it sorts after every stored "…Z" date of the day.
    const shifted = new Date(carol.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(await matching(`meta.lastModified gt "${shifted}"`)).toEqual(['dave']);
    expect(await matching(`meta.lastModified ge "${shifted}"`)).toEqual(['carol', 'dave']);
    expect(await matching(`meta.created lt "${lastModified.bob}"`)).toEqual(['alice']);
    expect(await matching(`meta.lastModified le "${lastModified.bob}" and meta.created pr`)).toEqual(['alice', 'bob']);
    expect(await matching('meta.lastModified gt "2000-01-01T00:00:00Z"')).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(await matching('meta.resourceType eq "User" and meta.lastModified lt "2000-01-01"')).toEqual([]);
  });

  it('pages 25 users in a stable order: every id exactly once, the same order twice', async () => {
    const pages = async (query: string) => {
      const seen: string[] = [];
      for (const startIndex of [1, 11, 21]) {
        const res = await pager.get(`/Users?${query}startIndex=${startIndex}&count=10`);
        expect(res.status).toBe(200);
        const expectedItems = startIndex === 21 ? 5 : 10;
        expect({ ...res.body, Resources: res.body.Resources.length }).toEqual({
          schemas: [LIST_SCHEMA],
          totalResults: 25,
          itemsPerPage: expectedItems,
          startIndex,
          Resources: expectedItems,
        });
        seen.push(...(res.body.Resources as { id: string }[]).map((r) => r.id));
      }
      return seen;
    };
    const first = await pages('');
    expect(new Set(first).size).toBe(25);
    expect(await pages('')).toEqual(first);
    // A filter the database cannot answer alone pages through the same order.
    const filtered = await pages(`filter=${encodeURIComponent('userName sw "page-"')}&`);
    expect(filtered).toEqual(first);

    const all = await pager.get('/Users?count=100');
    expect((all.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(first);
    const inactive = await pager.get(`${userFilter('active eq false')}&startIndex=2&count=3`);
    expect(inactive.body).toMatchObject({ totalResults: 9, itemsPerPage: 3, startIndex: 2 });
  });

  it('answers count=0 with the total only, and an empty page past the end', async () => {
    expect((await pager.get('/Users?count=0')).body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 25, itemsPerPage: 0, startIndex: 1, Resources: [] });
    expect((await pager.get('/Users?startIndex=26&count=10')).body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 25, itemsPerPage: 0, startIndex: 26, Resources: [] });
    // RFC 7644 §3.4.2.4: startIndex below 1 is taken as 1, a negative count as 0.
    expect((await pager.get('/Users?startIndex=0&count=2')).body).toMatchObject({ totalResults: 25, itemsPerPage: 2, startIndex: 1 });
    expect((await pager.get('/Users?count=-5')).body).toMatchObject({ totalResults: 25, itemsPerPage: 0, startIndex: 1 });
  });

  it('returns only the attributes asked for, and always id, schemas and meta', async () => {
    const one = await idp.get(`/Users/${ids.alice}?attributes=userName`);
    expect(one.status).toBe(200);
    expect(Object.keys(one.body).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    expect(one.body.userName).toBe('alice@x.com');

    const sub = await idp.get(`/Users/${ids.alice}?attributes=name.givenName,EMAILS.value,${ENTERPRISE}:department`);
    expect(sub.body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: ids.alice,
      meta: expect.objectContaining({ resourceType: 'User' }),
      name: { givenName: 'Alice' },
      emails: [{ value: 'alice@x.com' }, { value: 'alice@home.org' }],
      [ENTERPRISE]: { department: 'R&D' },
    });

    const excluded = await idp.get(`/Users/${ids.alice}?excludedAttributes=emails,name,${ENTERPRISE},id,meta,schemas`);
    expect(excluded.body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: ids.alice,
      meta: expect.objectContaining({ resourceType: 'User' }),
      userName: 'alice@x.com',
      externalId: 'ext-a',
      title: 'Engineer',
      active: true,
    });

    const wholeExtension = await idp.get(`/Users/${ids.alice}?attributes=${ENTERPRISE}`);
    expect(wholeExtension.body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: ids.alice,
      meta: expect.objectContaining({ resourceType: 'User' }),
      [ENTERPRISE]: { department: 'R&D', employeeNumber: '100' },
    });

    // A value filter in attributes, as some clients send, reads as the attribute it filters.
    const valueFiltered = await idp.get(`/Users/${ids.alice}?attributes=${encodeURIComponent('emails[type eq "work"],name[givenName eq "x, y"].familyName')}`);
    expect(valueFiltered.body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: ids.alice,
      meta: expect.objectContaining({ resourceType: 'User' }),
      name: { familyName: 'Smith' },
      emails: people.alice.emails,
    });

    const listed = await idp.get(`${userFilter('name.familyName eq "Smith"')}&attributes=userName,active`);
    expect(listed.body.Resources).toEqual([
      { schemas: [USER_SCHEMA, ENTERPRISE], id: ids.alice, meta: expect.any(Object), userName: 'alice@x.com', active: true },
      { schemas: [USER_SCHEMA, ENTERPRISE], id: ids.carol, meta: expect.any(Object), userName: 'Carol@x.com', active: true },
    ]);
  });

  it.each([
    ['userName eq', 'no value'],
    ['userName xx "a"', 'unknown operator'],
    ['(userName eq "a"', 'unclosed parenthesis'],
    ['emails[type eq "work"', 'unclosed value path'],
    ['userName eq "unterminated', 'unterminated string'],
    ['active gt true', 'ordering a boolean'],
    ['name gt "a"', 'ordering a complex attribute'],
    ['meta.lastModified gt "yesterday"', 'a date that is not one'],
    ['userName eq "a" and', 'dangling and'],
    ['title eq "a" or or title eq "b"', 'doubled or'],
    ['userName pr "x"', 'pr with a value'],
    ['   ', 'blank'],
  ])('rejects %j (%s) with 400 invalidFilter', async (filter) => {
    const res = await idp.get(`/Users?filter=${encodeURIComponent(filter)}`);
    expect({ filter, status: res.status, body: res.body }).toEqual({ filter, status: 400, body: scimError(400, 'invalidFilter') });
  });
});
