import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting } from '../../factories';
import { GROUP_SCHEMA, patchOp, SCIM_JSON, scimClient, type ScimClient, scimError } from '../../support/scim-client';
import { activities, apiMembers, createGroup, createUsers, entraUser, refs, targetGroups } from './support';

const GHOST = '00000000-0000-4000-8000-000000000000';

/**
 * What the Groups API does with input it cannot use: documented tolerance (unknown members
 * are left out and reported, duplicates collapse) or a 4xx SCIM error that changes nothing.
 */
describe('Groups API bad input', () => {
  let system: TestSystem;
  let client: ScimClient;
  let companyId: Types.ObjectId;
  let ann: string;
  let bob: string;
  let cy: string;

  beforeAll(async () => {
    system = await TestSystem.start('groups_bad_input');
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    companyId = (await makeCompany(system.models))._id;
    const { token } = await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups' });
    client = scimClient(system, token);
    [ann, bob, cy] = (await createUsers(client, ['ann', 'bob', 'cy'].map((n) => entraUser(`${n}@example.com`)))) as [string, string, string];
  });

  const settled = async () => {
    await system.idle();
    return targetGroups(system, companyId);
  };

  describe('members that are not users of the setting', () => {
    it('leaves them out on POST, keeps the rest, and records which were ignored', async () => {
      const other = await makeScimSetting(system.models, companyId);
      const [stranger] = (await createUsers(scimClient(system, other.token), [entraUser('stranger@example.com')])) as [string];
      const created = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Mixed', members: refs(ann, GHOST, stranger, bob) });
      expect(created.status).toBe(201);
      expect(created.body.members).toEqual(refs(ann, bob));
      expect(await apiMembers(client, created.body.id)).toEqual([ann, bob].sort());
      expect(await settled()).toEqual({ 'idp:Mixed': ['ann@example.com', 'bob@example.com'] });

      const rejected = (await activities(system, created.body.id)).filter((a) => a.outcome === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ operation: 'POST /Groups', resourceType: 'Group', version: 1, changes: ['members'] });
      expect(rejected[0]?.error).toContain(GHOST);
      expect(rejected[0]?.error).toContain(stranger);
      expect(rejected[0]?.error).not.toContain(ann);
    });

    it('leaves them out on PATCH add and PUT; a deleted user cannot be added back', async () => {
      const id = await createGroup(client, 'Alpha', [ann]);
      expect((await client.delete(`/Users/${cy}`)).status).toBe(204);
      expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: refs(GHOST, bob, cy) }))).status).toBe(204);
      expect(await apiMembers(client, id)).toEqual([ann, bob].sort());
      const put = await client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'Alpha', members: refs(bob, GHOST) });
      expect(put.status).toBe(200);
      expect(put.body.members).toEqual(refs(bob));
      expect(await settled()).toEqual({ 'idp:Alpha': ['bob@example.com'] });
      const rejected = (await activities(system, id)).filter((a) => a.outcome === 'rejected');
      expect(rejected.map((a) => a.operation)).toEqual([`PATCH /Groups/${id}`, `PUT /Groups/${id}`]);
      expect(rejected[0]?.error).toContain(cy);
    });

    it('reads a bare string PATCH add value as a member id: users join, other ids are left out and recorded', async () => {
      const id = await createGroup(client, 'Alpha', [ann]);
      expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: bob }))).status).toBe(204);
      expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: 'some id' }))).status).toBe(204);
      expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: [cy, GHOST] }))).status).toBe(204);
      expect(await apiMembers(client, id)).toEqual([ann, bob, cy].sort());
      expect(await settled()).toEqual({ 'idp:Alpha': ['ann@example.com', 'bob@example.com', 'cy@example.com'] });
      const rejected = (await activities(system, id)).filter((a) => a.outcome === 'rejected');
      expect(rejected.map((a) => [a.operation, a.error])).toEqual([
        [`PATCH /Groups/${id}`, expect.stringContaining('some id')],
        [`PATCH /Groups/${id}`, expect.stringMatching(new RegExp(`^Ignored 1 member\\(s\\) .*: ${GHOST}$`))],
      ]);
    });

    it('removes a member that is not there without complaint (the IdP may remove one we left out)', async () => {
      const id = await createGroup(client, 'Alpha', [ann, bob]);
      expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${GHOST}"]` }))).status).toBe(204);
      expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: refs(GHOST, cy) }))).status).toBe(204);
      expect(await apiMembers(client, id)).toEqual([ann, bob].sort());
    });
  });

  it('collapses duplicate members on POST, PATCH add and replace', async () => {
    const created = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Dups', members: refs(ann, ann, bob, ann) });
    expect(created.body.members).toEqual(refs(ann, bob));
    const id = created.body.id as string;
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: refs(bob, cy, cy) }))).status).toBe(204);
    expect(await apiMembers(client, id)).toEqual([ann, bob, cy].sort());
    expect((await client.get(`/Groups/${id}`)).body.members).toHaveLength(3);
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: refs(cy, cy) }))).status).toBe(204);
    expect((await client.get(`/Groups/${id}`)).body.members).toEqual(refs(cy));
    expect(await settled()).toEqual({ 'idp:Dups': ['cy@example.com'] });
  });

  it('answers 404 for unknown group ids on every method', async () => {
    for (const id of [GHOST, 'not-a-uuid', 'x'.repeat(200)]) {
      const answers = await Promise.all([
        client.get(`/Groups/${id}`),
        client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'X' }),
        client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'X' })),
        client.delete(`/Groups/${id}`),
      ]);
      for (const answer of answers) {
        expect([id.slice(0, 10), answer.status, answer.body]).toEqual([id.slice(0, 10), 404, scimError(404)]);
      }
    }
    // Another setting's group is unknown too.
    const other = scimClient(system, (await makeScimSetting(system.models, companyId)).token);
    const theirs = await createGroup(other, 'Theirs');
    expect((await client.patch(`/Groups/${theirs}`, patchOp({ op: 'add', path: 'members', value: refs(ann) }))).status).toBe(404);
    expect(await apiMembers(other, theirs)).toEqual([]);
  });

  it('answers 400 invalidValue for a group id holding a NUL character on every method, as for a NUL in a body or filter', async () => {
    const id = await createGroup(client, 'Stable', [ann]);
    for (const nul of ['a%00b', `${id}%00`, '%00']) {
      const answers = await Promise.all([
        client.get(`/Groups/${nul}`),
        client.put(`/Groups/${nul}`, { schemas: [GROUP_SCHEMA], displayName: 'X' }),
        client.patch(`/Groups/${nul}`, patchOp({ op: 'add', path: 'members', value: refs(bob) })),
        client.delete(`/Groups/${nul}`),
      ]);
      for (const answer of answers) expect([nul, answer.status, answer.body]).toEqual([nul, 400, scimError(400, 'invalidValue')]);
    }
    expect(await apiMembers(client, id)).toEqual([ann]);
    expect(await settled()).toEqual({ 'idp:Stable': ['ann@example.com'] });
  });

  describe('rejected requests change nothing and are never a 500', () => {
    const badPatches: [string, unknown, number, string | undefined][] = [
      ['an unterminated filter', patchOp({ op: 'remove', path: 'members[value eq "x"' }), 400, 'invalidPath'],
      ['an unknown operator', patchOp({ op: 'remove', path: 'members[value xx "x"]' }), 400, 'invalidPath'],
      ['an unknown attribute', patchOp({ op: 'replace', path: 'owner', value: 'x' }), 400, 'invalidPath'],
      ['an unknown sub-attribute', patchOp({ op: 'replace', path: 'members.colour', value: 'x' }), 400, 'invalidPath'],
      ['a filter on a simple attribute', patchOp({ op: 'replace', path: 'displayName[value eq "x"]', value: 'x' }), 400, 'invalidPath'],
      ['an empty path', patchOp({ op: 'add', path: '', value: refs('x') }), 400, 'invalidPath'],
      ['a path of dots', patchOp({ op: 'add', path: '..', value: refs('x') }), 400, 'invalidPath'],
      ['an unknown op', patchOp({ op: 'move', path: 'members', value: [] }), 400, 'invalidSyntax'],
      ['no Operations', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }, 400, 'invalidSyntax'],
      ['no PatchOp schema', { schemas: [GROUP_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [] }] }, 400, 'invalidSyntax'],
      ['remove without a path', patchOp({ op: 'remove', value: refs('x') }), 400, 'noTarget'],
      ['add without a value', patchOp({ op: 'add', path: 'members' }), 400, 'invalidValue'],
      ['members as a number', patchOp({ op: 'add', path: 'members', value: 7 }), 400, 'invalidValue'],
      ['a member without a value', patchOp({ op: 'add', path: 'members', value: [{ type: 'User' }] }), 400, 'invalidValue'],
      ['a member with only a display', patchOp({ op: 'add', path: 'members', value: [{ display: 'Nobody' }] }), 400, 'invalidValue'],
      ['a member display with an unpaired surrogate', patchOp({ op: 'add', path: 'members', value: [{ value: 'x', display: 'A\ud800' }] }), 400, 'invalidValue'],
      ['a member value that is a number', patchOp({ op: 'add', path: 'members', value: [{ value: 42 }] }), 400, 'invalidValue'],
      ['an empty displayName', patchOp({ op: 'replace', path: 'displayName', value: '' }), 400, 'invalidValue'],
      ['a displayName that is an object', patchOp({ op: 'replace', path: 'displayName', value: { a: 1 } }), 400, 'invalidValue'],
      ['removing displayName', patchOp({ op: 'remove', path: 'displayName' }), 400, 'invalidValue'],
      ['changing the id', patchOp({ op: 'replace', path: 'id', value: GHOST }), 400, 'mutability'],
      [
        'a bad op after good ones',
        patchOp({ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'remove', path: `members[value eq "${'x'}"]` }, { op: 'add', path: 'members', value: 7 }),
        400,
        'invalidValue',
      ],
    ];

    it.each(badPatches)('PATCH with %s', async (_name, body, status, scimType) => {
      const id = await createGroup(client, 'Stable', [ann, bob]);
      await system.idle();
      const before = await system.models.ScimGroupResource.collection.findOne({ _id: id as never });
      const answer = await client.patch(`/Groups/${id}`, body);
      expect([answer.status, answer.body]).toEqual([status, scimError(status, scimType)]);
      const after = await system.models.ScimGroupResource.collection.findOne({ _id: id as never });
      expect(after).toEqual(before);
      expect(await settled()).toEqual({ 'idp:Stable': ['ann@example.com', 'bob@example.com'] });
    });

    const badBodies: [string, string | Record<string, unknown>, string | undefined][] = [
      ['no displayName', { schemas: [GROUP_SCHEMA], members: refs('x') }, 'invalidValue'],
      ['a blank displayName', { schemas: [GROUP_SCHEMA], displayName: '   ' }, 'invalidValue'],
      ['members not an array of objects', { schemas: [GROUP_SCHEMA], displayName: 'X', members: ['abc'] }, 'invalidValue'],
      ['a member value of 300 characters', { schemas: [GROUP_SCHEMA], displayName: 'X', members: [{ value: 'v'.repeat(300) }] }, 'invalidValue'],
      ['schemas not an array', { schemas: GROUP_SCHEMA, displayName: 'X' }, 'invalidSyntax'],
      ['a JSON array', '[]', 'invalidSyntax'],
      ['broken JSON', '{"displayName": ', 'invalidSyntax'],
      ['a displayName with an unpaired surrogate', { schemas: [GROUP_SCHEMA], displayName: 'Sales\udc00' }, 'invalidValue'],
      ['a body nested 10,000 levels deep', `{"displayName":"X","members":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'invalidSyntax'],
    ];

    it.each(badBodies)('POST and PUT with %s', async (_name, body, scimType) => {
      const id = await createGroup(client, 'Stable', [ann, bob]);
      await system.idle();
      const before = await system.models.ScimGroupResource.collection.findOne({ _id: id as never });
      const post = await client.post('/Groups', body);
      expect([post.status, post.body]).toEqual([400, scimError(400, scimType)]);
      const put = await client.put(`/Groups/${id}`, body);
      expect([put.status, put.body]).toEqual([400, scimError(400, scimType)]);
      expect(await system.models.ScimGroupResource.collection.findOne({ _id: id as never })).toEqual(before);
      expect((await client.get('/Groups')).body.totalResults).toBe(1);
      expect(await settled()).toEqual({ 'idp:Stable': ['ann@example.com', 'bob@example.com'] });
    });

    it('answers 400 for a malformed filter and 415/400 for a body that is not JSON', async () => {
      const filter = await client.get(`/Groups?filter=${encodeURIComponent('members[value eq "x"')}`);
      expect([filter.status, filter.body]).toEqual([400, scimError(400, 'invalidFilter')]);
      const id = await createGroup(client, 'Stable', [ann]);
      const text = await client.patch(`/Groups/${id}`, 'hello').set('Content-Type', 'text/plain');
      expect(text.status).toBeGreaterThanOrEqual(400);
      expect(text.status).toBeLessThan(500);
      expect(text.headers['content-type']).toMatch(new RegExp(`^${SCIM_JSON.replace('+', '\\+')}`));
      expect(await apiMembers(client, id)).toEqual([ann]);
    });
  });
});
