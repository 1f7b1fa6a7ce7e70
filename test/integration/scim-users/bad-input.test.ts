import request from 'supertest';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { ENTERPRISE, patchOp, scimClient, type ScimClient, scimError, USER_SCHEMA } from '../../support/scim-client';
import { rawUser, storedState, systemEnv, targetState } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * What an IdP (or anyone holding a token) can send wrong. Every answer is a SCIM error body with
 * the right status and scimType, never a 500, and the stored user is exactly as before.
 */
describe('SCIM Users: bad input over HTTP', () => {
  let system: TestSystem;
  let token: string;
  let idp: ScimClient;
  let id: string;
  let before: Awaited<ReturnType<typeof storedState>>;

  // One user every test tries to damage; a test that creates users gives them names of their own.
  beforeAll(async () => {
    system = await TestSystem.start('scim_users_bad_input', { env: systemEnv });
    const company = await makeCompany(system.models);
    ({ token } = await makeScimSetting(system.models, company._id));
    idp = scimClient(system, token);
    const created = await idp.post('/Users', oktaUser('kept@example.com', { [ENTERPRISE]: { department: 'Ops' }, schemas: [USER_SCHEMA, ENTERPRISE] }));
    expect(created.status).toBe(201);
    id = created.body.id;
    await system.idle();
    before = await storedState(system, id);
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
  });

  /** The rejection, and the proof it changed nothing, in one place. */
  async function expectRejected(response: request.Response, status: number, scimType?: string) {
    expect({ status: response.status, body: response.body, type: response.headers['content-type'] }).toEqual({
      status,
      body: scimError(status, scimType),
      type: expect.stringMatching(/^application\/scim\+json/),
    });
    expect(await storedState(system, id)).toEqual(before);
  }

  describe('malformed JSON', () => {
    it.each(['{"userName": "x"', '{userName: "x"}', '[1,2', 'not json', '{"a":1}}'])('%j is 400 invalidSyntax for POST, PUT and PATCH', async (text) => {
      await expectRejected(await idp.post('/Users', text), 400, 'invalidSyntax');
      await expectRejected(await idp.put(`/Users/${id}`, text), 400, 'invalidSyntax');
      await expectRejected(await idp.patch(`/Users/${id}`, text), 400, 'invalidSyntax');
    });

    it('a JSON body that is not an object is 400', async () => {
      for (const body of ['[]', '"text"', '42', 'null', '[{"userName":"a"}]']) {
        await expectRejected(await idp.post('/Users', body), 400, 'invalidSyntax');
        await expectRejected(await idp.put(`/Users/${id}`, body), 400, 'invalidSyntax');
        await expectRejected(await idp.patch(`/Users/${id}`, body), 400, 'invalidSyntax');
      }
    });
  });

  describe('wrong types', () => {
    it.each<[string, Record<string, unknown>]>([
      ['userName as a number', { userName: 42 }],
      ['userName as an object', { userName: { value: 'x' } }],
      ['userName empty', { userName: '   ' }],
      ['userName too long', { userName: `${'a'.repeat(300)}@example.com` }],
      ['active as a word', { userName: 'a@b.c', active: 'yes' }],
      ['active as a number', { userName: 'a@b.c', active: 1 }],
      ['name as text', { userName: 'a@b.c', name: 'Ann Lee' }],
      ['emails as text', { userName: 'a@b.c', emails: 'a@b.c' }],
      ['emails holding text', { userName: 'a@b.c', emails: ['a@b.c'] }],
      ['email value as an object', { userName: 'a@b.c', emails: [{ value: { x: 1 } }] }],
      ['schemas as text', { userName: 'a@b.c', schemas: USER_SCHEMA }],
      ['the enterprise extension as text', { userName: 'a@b.c', [ENTERPRISE]: 'Sales' }],
      ['department as an array', { userName: 'a@b.c', [ENTERPRISE]: { department: ['Sales'] } }],
      ['too many emails', { userName: 'a@b.c', emails: Array.from({ length: 101 }, (_, i) => ({ value: `${i}@b.c` })) }],
    ])('%s is 400 for POST and PUT', async (_name, body) => {
      const started = new Date();
      const post = await idp.post('/Users', body);
      expect({ status: post.status, body: post.body }).toEqual({ status: 400, body: scimError(400, post.body.scimType) });
      expect(['invalidValue', 'invalidSyntax']).toContain(post.body.scimType);
      const put = await idp.put(`/Users/${id}`, { ...body, userName: body.userName === 'a@b.c' ? 'kept@example.com' : body.userName });
      await expectRejected(put, 400, put.body.scimType);
      expect(await system.models.ScimUserResource.countDocuments({ created: { $gte: started } })).toBe(0);
    });

    it.each<[string, Record<string, unknown>]>([
      ['active "maybe"', { op: 'replace', path: 'active', value: 'maybe' }],
      ['userName as a number', { op: 'replace', path: 'userName', value: 7 }],
      ['userName empty', { op: 'replace', path: 'userName', value: '' }],
      ['emails as text', { op: 'replace', path: 'emails', value: 'x@y.z' }],
      ['name.givenName as an object', { op: 'replace', path: 'name.givenName', value: { a: 1 } }],
      ['a path-less value that is not an object', { op: 'replace', value: 'x' }],
      ['a path-less value with a bad active', { op: 'replace', value: { active: 'nope' } }],
    ])('PATCH with %s is 400 invalidValue', async (_name, operation) => {
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp(operation)), 400, 'invalidValue');
    });

    it.each<[string, unknown]>([
      ['no schemas', { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
      ['a wrong schema', { schemas: [USER_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
      ['no Operations', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }],
      ['empty Operations', patchOp()],
      ['an unknown op', patchOp({ op: 'merge', path: 'title', value: 'x' })],
      ['op as a number', patchOp({ op: 1, path: 'title', value: 'x' })],
      ['path as a number', patchOp({ op: 'replace', path: 3, value: 'x' })],
    ])('PATCH with %s is 400', async (_name, body) => {
      const res = await idp.patch(`/Users/${id}`, body);
      await expectRejected(res, 400, 'invalidSyntax');
    });

    it('a later invalid operation rejects the whole PATCH', async () => {
      const res = await idp.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Boss' }, { op: 'replace', path: 'active', value: 'maybe' }));
      await expectRejected(res, 400, 'invalidValue');
    });
  });

  describe('unknown attributes', () => {
    it('are ignored on POST, PUT and path-less PATCH, and never stored', async () => {
      const noise = {
        favoriteColor: 'blue',
        'urn:example:params:scim:schemas:extension:acme:2.0:User': { badge: '7' },
        name: { givenName: 'Ann', familyName: 'Lee', nickname2: 'x' },
        emails: [{ value: 'ann@example.com', type: 'work', label: 'junk' }],
        [ENTERPRISE]: { department: 'Ops', shoeSize: 44 },
        groups: [{ value: 'g1' }],
        meta: { resourceType: 'User', created: '2000-01-01T00:00:00Z' },
        id: 'chosen-by-client',
      };
      const created = await idp.post('/Users', { schemas: [USER_SCHEMA], userName: 'ann@example.com', ...noise });
      expect(created.status).toBe(201);
      expect(created.body.id).not.toBe('chosen-by-client');
      const clean = {
        schemas: [USER_SCHEMA, ENTERPRISE],
        userName: 'ann@example.com',
        name: { givenName: 'Ann', familyName: 'Lee' },
        emails: [{ value: 'ann@example.com', type: 'work' }],
        [ENTERPRISE]: { department: 'Ops' },
      };
      expect((await rawUser(system, created.body.id))?.data).toEqual(clean);
      expect(created.body.meta.created).not.toBe('2000-01-01T00:00:00Z');
      // One write at a time: write-races.test.ts covers writes that overlap their projections.
      await system.idle();

      const put = await idp.put(`/Users/${created.body.id}`, { schemas: [USER_SCHEMA], userName: 'ann@example.com', ...noise, title: 'Lead' });
      expect(put.status).toBe(200);
      expect((await rawUser(system, created.body.id))?.data).toEqual({ ...clean, title: 'Lead' });
      await system.idle();

      const patched = await idp.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', value: { favoriteColor: 'red', id: 'x', meta: {}, title: 'Chief' } }));
      expect(patched.status).toBe(200);
      expect((await rawUser(system, created.body.id))?.data).toEqual({ ...clean, title: 'Chief' });
      await system.idle();
      expect(await targetState(system, created.body.id)).toMatchObject({ firstName: 'Ann', title: 'Chief', department: 'Ops', customFields: {} });
    });

    it('a declared extension of another vendor is kept as sent', async () => {
      const acme = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
      const created = await idp.post('/Users', { schemas: [USER_SCHEMA, acme], userName: 'acme@example.com', [acme]: { badge: '7' } });
      expect(created.status).toBe(201);
      expect((await rawUser(system, created.body.id))?.data).toEqual({ schemas: [USER_SCHEMA, acme], userName: 'acme@example.com', [acme]: { badge: '7' } });
    });
  });

  describe('invalid PATCH paths', () => {
    it.each<[string, string]>([
      ['unknownAttribute', 'invalidPath'],
      ['name.middle_name', 'invalidPath'],
      ['emails[type eq "work"', 'invalidPath'],
      ['emails[type eq]', 'invalidPath'],
      ['emails[type eq "work"].nonsense', 'invalidPath'],
      ['title[value eq "x"]', 'invalidPath'],
      [`${ENTERPRISE}:shoeSize`, 'invalidPath'],
      ['name..givenName', 'invalidPath'],
      ['', 'invalidPath'],
      ['id', 'mutability'],
      ['meta.created', 'mutability'],
    ])('%j is 400 %s', async (path, scimType) => {
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'replace', path, value: 'x' })), 400, scimType);
    });

    it('remove without a path is 400 noTarget', async () => {
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'remove' })), 400, 'noTarget');
    });

    it('replace of a value path on a single-valued filter that matches nothing is 400 noTarget', async () => {
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'name[givenName eq "Nobody"].familyName', value: 'x' })), 400, 'noTarget');
    });

    it('removing userName is 400 and keeps it', async () => {
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'remove', path: 'userName' })), 400, 'invalidValue');
    });
  });

  describe('sizes, ids and content types', () => {
    it('an oversized body is 413 with a SCIM body', async () => {
      const huge = JSON.stringify({ userName: 'big@example.com', title: 'x'.repeat(5 * 1024 * 1024) });
      await expectRejected(await idp.post('/Users', huge), 413);
      await expectRejected(await idp.put(`/Users/${id}`, huge), 413);
      await expectRejected(await idp.patch(`/Users/${id}`, huge), 413);
    });

    it('unknown ids are 404 for every method', async () => {
      const body = oktaUser('kept@example.com');
      for (const unknown of ['7b0f7c38-0000-4000-8000-000000000000', 'not-a-uuid', '%24where', 'a'.repeat(500)]) {
        await expectRejected(await idp.get(`/Users/${unknown}`), 404);
        await expectRejected(await idp.put(`/Users/${unknown}`, body), 404);
        await expectRejected(await idp.patch(`/Users/${unknown}`, patchOp({ op: 'replace', path: 'active', value: false })), 404);
        await expectRejected(await idp.delete(`/Users/${unknown}`), 404);
      }
    });

    it('an id holding a NUL character is 400 invalidValue for every method, as in a body or filter', async () => {
      const body = oktaUser('kept@example.com');
      for (const nul of ['a%00b', `${id}%00`, '%00']) {
        await expectRejected(await idp.get(`/Users/${nul}`), 400, 'invalidValue');
        await expectRejected(await idp.put(`/Users/${nul}`, body), 400, 'invalidValue');
        await expectRejected(await idp.patch(`/Users/${nul}`, patchOp({ op: 'replace', path: 'active', value: false })), 400, 'invalidValue');
        await expectRejected(await idp.delete(`/Users/${nul}`), 400, 'invalidValue');
      }
    });

    it('an unknown endpoint is a SCIM 404', async () => {
      await expectRejected(await idp.get('/Userz'), 404);
      await expectRejected(await idp.post('/Users/.search', {}), 404);
    });

    it('a user without userName is 400 invalidValue', async () => {
      await expectRejected(await idp.post('/Users', { schemas: [USER_SCHEMA], name: { givenName: 'Ann' } }), 400, 'invalidValue');
      await expectRejected(await idp.put(`/Users/${id}`, { schemas: [USER_SCHEMA], name: { givenName: 'Ann' } }), 400, 'invalidValue');
      await expectRejected(await idp.post('/Users', {}), 400, 'invalidValue');
    });

    it('a body sent as another content type is 415; no body is 400', async () => {
      // Raw requests: the SCIM client always declares application/scim+json.
      const body = JSON.stringify(oktaUser('typed@example.com'));
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const post = await request(system.app).post('/scim/v2/Users').set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
        await expectRejected(post, 415);
        const put = await request(system.app).put(`/scim/v2/Users/${id}`).set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
        await expectRejected(put, 415);
      }
      const empty = await request(system.app).post('/scim/v2/Users').set('Authorization', `Bearer ${token}`);
      await expectRejected(empty, 400, 'invalidSyntax');
      // Plain JSON and a charset are accepted.
      const plain = await request(system.app).post('/scim/v2/Users').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json; charset=utf-8').send(body);
      expect(plain.status).toBe(201);
    });

    it('repeated or non-numeric query parameters are 400', async () => {
      await expectRejected(await idp.get('/Users?filter=userName%20eq%20%22a%22&filter=userName%20eq%20%22b%22'), 400, 'invalidValue');
      await expectRejected(await idp.get('/Users?count=ten'), 400, 'invalidValue');
      await expectRejected(await idp.get('/Users?startIndex=1.5'), 400, 'invalidValue');
    });

    it('text holding a NUL character is 400 invalidValue wherever it is', async () => {
      await expectRejected(await idp.post('/Users', { userName: 'a\u0000b@example.com' }), 400, 'invalidValue');
      await expectRejected(await idp.post('/Users', { userName: 'nul@example.com', externalId: 'x\u0000' }), 400, 'invalidValue');
      await expectRejected(await idp.post('/Users', { userName: 'nul@example.com', title: 'Chief\u0000' }), 400, 'invalidValue');
      await expectRejected(await idp.put(`/Users/${id}`, oktaUser('kept@example.com', { name: { givenName: '\u0000' } })), 400, 'invalidValue');
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'externalId', value: 'x\u0000' })), 400, 'invalidValue');
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'add', path: 'emails[type eq "work"].value', value: '\u0000@x' })), 400, 'invalidValue');
      await expectRejected(await idp.get('/Users?filter=userName%20eq%20%22a%5Cu0000%22'), 400, 'invalidFilter');
      await expectRejected(await idp.get('/Users?filter=userName%20eq%20a%00'), 400, 'invalidFilter');
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'emails[type eq "wo\u0000rk"].value', value: 'x@y.z' })), 400, 'invalidPath');
    });

    it('a body nested 10,000 levels deep is 400 invalidSyntax for POST, PUT and PATCH', async () => {
      const acme = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
      const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      const user = `{"schemas":["${USER_SCHEMA}","${acme}"],"userName":"deep@example.com","${acme}":${deep}}`;
      const response = await idp.post('/Users', user);
      await expectRejected(response, 400, 'invalidSyntax');
      expect(response.body.detail).toMatch(/deeper than 32 levels/);
      await expectRejected(await idp.put(`/Users/${id}`, user), 400, 'invalidSyntax');
      const patch = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"${acme}:badge","value":${deep}}]}`;
      await expectRejected(await idp.patch(`/Users/${id}`, patch), 400, 'invalidSyntax');
      // A declared extension a few levels deep is still kept as sent.
      const shallow = await idp.post('/Users', { schemas: [USER_SCHEMA, acme], userName: 'shallow@example.com', [acme]: { a: { b: { c: '1' } } } });
      expect(shallow.status).toBe(201);
    });

    it('an unpaired surrogate is 400 invalidValue wherever text enters, and cannot take another userName', async () => {
      const taken = await idp.post('/Users', { userName: 'x\ufffd@example.com' });
      expect(taken.status).toBe(201);
      const started = new Date();
      const raw = String.raw`{"schemas":["${USER_SCHEMA}"],"userName":"x\ud800@example.com"}`;
      await expectRejected(await idp.post('/Users', raw), 400, 'invalidValue');
      await expectRejected(await idp.post('/Users', { userName: 'x\udc00@example.com' }), 400, 'invalidValue');
      await expectRejected(await idp.post('/Users', { userName: 'ok@example.com', name: { givenName: 'A\udbff' } }), 400, 'invalidValue');
      const acme = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
      await expectRejected(await idp.post('/Users', { schemas: [USER_SCHEMA, acme], userName: 'ok@example.com', [acme]: { 'badge\ud800': '1' } }), 400, 'invalidValue');
      await expectRejected(await idp.put(`/Users/${id}`, oktaUser('kept@example.com', { title: '\ud800' })), 400, 'invalidValue');
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'userName', value: 'x\ud800@example.com' })), 400, 'invalidValue');
      await expectRejected(await idp.patch(`/Users/${id}`, patchOp({ op: 'add', path: String.raw`emails[type eq "w\ud800"].value`, value: 'a@b.c' })), 400, 'invalidValue');
      await expectRejected(await idp.get(`/Users?filter=${encodeURIComponent(String.raw`userName eq "x\ud800@example.com"`)}`), 400, 'invalidValue');
      expect(await system.models.ScimUserResource.countDocuments({ created: { $gte: started } })).toBe(0);
      // Surrogate pairs are text like any other.
      const emoji = await idp.post('/Users', String.raw`{"userName":"\ud83d\ude00@example.com"}`);
      expect({ status: emoji.status, userName: emoji.body.userName }).toEqual({ status: 201, userName: '\u{1f600}@example.com' });
    });

    it('an attribute name outside RFC 7644\'s grammar is 400 invalidFilter, not a query operator', async () => {
      for (const filter of ['userName eq "kept@example.com" and $where eq "1"', '$where eq "1"', 'name.$ne eq "x"', 'emails[$regex eq "x"]']) {
        await expectRejected(await idp.get(`/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
      }
    });

    it('__proto__ and constructor keys neither crash nor get stored', async () => {
      const body = `{"schemas":["${USER_SCHEMA}"],"userName":"proto@example.com","__proto__":{"admin":true},"constructor":{"x":1},"name":{"__proto__":{"givenName":"Evil"}}}`;
      const created = await idp.post('/Users', body);
      expect(created.status).toBe(201);
      expect((await rawUser(system, created.body.id))?.data).toEqual({ schemas: [USER_SCHEMA], userName: 'proto@example.com' });
      const patched = await idp.patch(`/Users/${created.body.id}`, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"__proto__":{"title":"x"}}},{"op":"add","path":"__proto__","value":"x"}]}`);
      expect(patched.status).toBe(400);
      expect((await rawUser(system, created.body.id))?.data).toEqual({ schemas: [USER_SCHEMA], userName: 'proto@example.com' });
    });
  });
});
