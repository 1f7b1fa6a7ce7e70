import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting } from '../../factories';
import { ENTRA_GROUP_SCHEMA, GROUP_SCHEMA, groupFilter, LIST_SCHEMA, patchOp, scimClient, type ScimClient, scimError } from '../../support/scim-client';
import { apiMembers, createGroup, createUsers, entraUser, refs, targetGroups } from './support';

const meta = (id: string, version: number) => ({
  resourceType: 'Group',
  created: expect.any(String),
  lastModified: expect.any(String),
  location: expect.stringMatching(new RegExp(`/scim/v2/Groups/${id}$`)),
  version: `W/"${version}"`,
});

/** RFC 7644 /Groups over HTTP, with the setting mirroring IdP groups so every write shows in the target groups. */
describe('SCIM Groups API', () => {
  let system: TestSystem;
  let client: ScimClient;
  let companyId: Types.ObjectId;
  let ann: string;
  let bob: string;
  let cy: string;
  let dee: string;

  beforeAll(async () => {
    system = await TestSystem.start('groups_api');
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    companyId = company._id;
    const { token } = await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups' });
    client = scimClient(system, token);
    [ann, bob, cy, dee] = (await createUsers(client, ['ann', 'bob', 'cy', 'dee'].map((n) => entraUser(`${n}@example.com`)))) as [string, string, string, string];
  });

  const mirrored = async () => {
    await system.idle();
    return targetGroups(system, companyId);
  };

  it('creates an empty group with Entra’s extra schema and mirrors it', async () => {
    const created = await client.post('/Groups', { schemas: [GROUP_SCHEMA, ENTRA_GROUP_SCHEMA], displayName: 'Keepnet UK', externalId: 'e-1' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.location).toMatch(new RegExp(`/scim/v2/Groups/${id}$`));
    expect(created.body).toEqual({ schemas: [GROUP_SCHEMA, ENTRA_GROUP_SCHEMA], displayName: 'Keepnet UK', externalId: 'e-1', members: [], id, meta: meta(id, 1) });
    expect(await mirrored()).toEqual({ 'idp:Keepnet UK': [] });
  });

  it('creates a group with members and mirrors exactly those members', async () => {
    const created = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Sales', members: [{ value: ann, display: 'Ann' }, { value: bob }] });
    expect(created.status).toBe(201);
    expect(created.body.members).toEqual([{ value: ann, display: 'Ann' }, { value: bob }]);
    expect(await apiMembers(client, created.body.id)).toEqual([ann, bob].sort());
    expect(await mirrored()).toEqual({ 'idp:Sales': ['ann@example.com', 'bob@example.com'] });
  });

  it('reads by id and lists with displayName, externalId, id and members filters', async () => {
    const a = await createGroup(client, 'Alpha', [ann, bob], { externalId: 'ext-a' });
    const b = await createGroup(client, 'Beta', [bob]);
    const c = await createGroup(client, 'Gamma', []);

    const one = await client.get(`/Groups/${a}`);
    expect(one.status).toBe(200);
    expect(one.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(one.body).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Alpha', externalId: 'ext-a', members: refs(ann, bob), id: a, meta: meta(a, 1) });

    const ids = async (path: string) => {
      const answer = await client.get(path);
      expect(answer.status).toBe(200);
      expect(answer.body.schemas).toEqual([LIST_SCHEMA]);
      expect(answer.body.totalResults).toBe(answer.body.Resources.length);
      return (answer.body.Resources as { id: string }[]).map((r) => r.id);
    };
    expect(await ids(groupFilter('displayName eq "alpha"'))).toEqual([a]);
    expect(await ids(groupFilter('displayName eq "Nope"'))).toEqual([]);
    expect(await ids(groupFilter('externalId eq "ext-a"'))).toEqual([a]);
    expect(await ids(groupFilter(`id eq "${c}"`))).toEqual([c]);
    expect(await ids(groupFilter(`members[value eq "${bob}"]`))).toEqual([a, b]);
    expect(await ids(groupFilter(`members[value eq "${ann}"]`))).toEqual([a]);
    expect(await ids(groupFilter(`members[value eq "${cy}"]`))).toEqual([]);
    expect(await ids(groupFilter(`displayName eq "Beta" and members[value eq "${bob}"]`))).toEqual([b]);
    // Or-chains of eq on one indexed attribute are one $in, through the members array as well.
    const manyMembers = Array.from({ length: 400 }, (_, i) => `value eq m${i}`);
    manyMembers.splice(200, 0, `value eq "${ann}"`);
    expect(await ids(groupFilter(`members[${manyMembers.join(' or ')}]`))).toEqual([a]);
    expect(await ids(groupFilter(`members[value eq "${cy}"] or members.value eq "${bob}" or displayName eq "gamma" or id eq "${b}"`))).toEqual([a, b, c]);
  });

  it('pages in creation order', async () => {
    const made: string[] = [];
    for (const name of ['G1', 'G2', 'G3', 'G4', 'G5']) made.push(await createGroup(client, name));
    const page = await client.get('/Groups?startIndex=2&count=2');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ schemas: [LIST_SCHEMA], totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(page.body.Resources.map((r: { id: string }) => r.id)).toEqual(made.slice(1, 3));
    const last = await client.get('/Groups?startIndex=5&count=100');
    expect(last.body.Resources.map((r: { id: string }) => r.id)).toEqual(made.slice(4));
    const none = await client.get('/Groups?count=0');
    expect(none.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('leaves members out with excludedAttributes=members (Entra’s lookup), by id, in lists and with filters', async () => {
    const id = await createGroup(client, 'Alpha', [ann]);
    const one = await client.get(`/Groups/${id}?excludedAttributes=members`);
    expect(one.body).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Alpha', id, meta: meta(id, 1) });
    const list = await client.get('/Groups?excludedAttributes=members');
    expect(list.body.Resources).toEqual([{ schemas: [GROUP_SCHEMA], displayName: 'Alpha', id, meta: meta(id, 1) }]);
    const lookup = await client.get(groupFilter('displayName eq "Alpha"', '&excludedAttributes=members'));
    expect(lookup.body.Resources).toEqual([{ schemas: [GROUP_SCHEMA], displayName: 'Alpha', id, meta: meta(id, 1) }]);
    const byMember = await client.get(groupFilter(`members[value eq "${ann}"]`, '&excludedAttributes=members'));
    expect(byMember.body.Resources).toEqual([{ schemas: [GROUP_SCHEMA], displayName: 'Alpha', id, meta: meta(id, 1) }]);
    const valueFiltered = await client.get(`/Groups/${id}?attributes=${encodeURIComponent(`members[value eq "${ann}"]`)}`);
    expect(valueFiltered.body).toEqual({ schemas: [GROUP_SCHEMA], members: refs(ann), id, meta: meta(id, 1) });
  });

  it('keeps the display an IdP sends with members on POST, PUT and PATCH add, and GET returns it', async () => {
    const created = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Alpha', members: [{ value: ann, display: 'Ann A' }] });
    expect(created.body.members).toEqual([{ value: ann, display: 'Ann A' }]);
    const id = created.body.id as string;
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob, display: 'Bob B' }] }))).status).toBe(204);
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'Add', value: { members: [{ value: cy, display: 'Cy C', type: 'User' }] } }))).status).toBe(204);
    const patched = [{ value: ann, display: 'Ann A' }, { value: bob, display: 'Bob B' }, { value: cy, display: 'Cy C', type: 'User' }];
    expect((await client.get(`/Groups/${id}`)).body.members).toEqual(patched);
    expect((await client.get(groupFilter(`members[value eq "${bob}"]`))).body.Resources[0].members).toEqual(patched);

    const put = await client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'Alpha', members: [{ value: dee, display: 'Dee D' }, { value: ann }] });
    expect(put.body.members).toEqual([{ value: dee, display: 'Dee D' }, { value: ann }]);
    expect((await client.get(`/Groups/${id}?attributes=members.display`)).body.members).toEqual([{ display: 'Dee D' }]);
    expect(await mirrored()).toEqual({ 'idp:Alpha': ['ann@example.com', 'dee@example.com'] });
  });

  it('replaces a group with PUT: name and members', async () => {
    const id = await createGroup(client, 'Alpha', [ann, bob]);
    expect(await mirrored()).toEqual({ 'idp:Alpha': ['ann@example.com', 'bob@example.com'] });
    const put = await client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], id, displayName: 'Omega', members: refs(cy, bob) });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Omega', members: refs(cy, bob), id, meta: meta(id, 2) });
    expect(await mirrored()).toEqual({ 'idp:Omega': ['bob@example.com', 'cy@example.com'] });
  });

  it('PATCH replaces displayName by path and by Okta’s path-less {id, displayName}, ignoring the id', async () => {
    const id = await createGroup(client, 'Alpha', [ann]);
    const byPath = await client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Beta' }));
    expect(byPath.status).toBe(204);
    expect(byPath.text).toBe('');
    expect(await mirrored()).toEqual({ 'idp:Beta': ['ann@example.com'] });

    const okta = await client.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { id: 'not-the-id', displayName: 'Gamma' } }));
    expect(okta.status).toBe(204);
    const read = await client.get(`/Groups/${id}`);
    expect(read.body).toMatchObject({ id, displayName: 'Gamma', members: refs(ann) });
    expect((await client.get('/Groups/not-the-id')).status).toBe(404);
    expect(await mirrored()).toEqual({ 'idp:Gamma': ['ann@example.com'] });
  });

  it('PATCH adds members from a value array and removes one by members[value eq]', async () => {
    const id = await createGroup(client, 'Alpha', [ann]);
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: refs(bob, cy, ann) }))).status).toBe(204);
    expect(await apiMembers(client, id)).toEqual([ann, bob, cy].sort());
    expect(await mirrored()).toEqual({ 'idp:Alpha': ['ann@example.com', 'bob@example.com', 'cy@example.com'] });

    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${bob}"]` }))).status).toBe(204);
    expect(await apiMembers(client, id)).toEqual([ann, cy].sort());
    expect(await mirrored()).toEqual({ 'idp:Alpha': ['ann@example.com', 'cy@example.com'] });
  });

  it('PATCH Remove with path "members" and a value array removes only those members (Entra)', async () => {
    const id = await createGroup(client, 'Alpha', [ann, bob, cy, dee]);
    const removed = await client.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: refs(bob, dee) }));
    expect(removed.status).toBe(204);
    expect(await apiMembers(client, id)).toEqual([ann, cy].sort());
    expect(await mirrored()).toEqual({ 'idp:Alpha': ['ann@example.com', 'cy@example.com'] });
  });

  it('PATCH replaces all members', async () => {
    const id = await createGroup(client, 'Alpha', [ann, bob]);
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: refs(cy, dee) }))).status).toBe(204);
    expect(await apiMembers(client, id)).toEqual([cy, dee].sort());
    expect(await mirrored()).toEqual({ 'idp:Alpha': ['cy@example.com', 'dee@example.com'] });
    expect((await client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: [] }))).status).toBe(204);
    expect(await apiMembers(client, id)).toEqual([]);
    expect(await mirrored()).toEqual({ 'idp:Alpha': [] });
  });

  it('PATCH applies several operations in order in one request', async () => {
    const id = await createGroup(client, 'Alpha', [ann, bob]);
    const answer = await client.patch(
      `/Groups/${id}`,
      patchOp(
        { op: 'replace', path: 'displayName', value: 'Renamed' },
        { op: 'remove', path: `members[value eq "${ann}"]` },
        { op: 'add', path: 'members', value: refs(cy, dee) },
        { op: 'remove', path: 'members', value: refs(dee) },
      ),
    );
    expect(answer.status).toBe(204);
    const read = await client.get(`/Groups/${id}`);
    expect(read.body).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Renamed', members: refs(bob, cy), id, meta: meta(id, 2) });
    expect(await mirrored()).toEqual({ 'idp:Renamed': ['bob@example.com', 'cy@example.com'] });
  });

  it('PATCH answers 200 with the resource when attributes are asked for', async () => {
    const id = await createGroup(client, 'Alpha', [ann]);
    const withMembers = await client.patch(`/Groups/${id}?attributes=members`, patchOp({ op: 'add', path: 'members', value: refs(bob) }));
    expect(withMembers.status).toBe(200);
    expect(withMembers.body).toEqual({ schemas: [GROUP_SCHEMA], members: refs(ann, bob), id, meta: meta(id, 2) });
    const nameOnly = await client.patch(`/Groups/${id}?attributes=displayName`, patchOp({ op: 'replace', path: 'displayName', value: 'Beta' }));
    expect(nameOnly.status).toBe(200);
    expect(nameOnly.body).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Beta', id, meta: meta(id, 3) });
    // A PATCH that changes nothing still answers as asked.
    const noop = await client.patch(`/Groups/${id}?attributes=displayName`, patchOp({ op: 'replace', path: 'displayName', value: 'Beta' }));
    expect(noop.status).toBe(200);
    expect(noop.body).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Beta', id, meta: meta(id, 3) });
  });

  it('DELETE removes the group, its target group and every membership of it', async () => {
    const keep = await createGroup(client, 'Keep', [ann]);
    const id = await createGroup(client, 'Doomed', [ann, bob]);
    expect(await mirrored()).toEqual({ 'idp:Keep': ['ann@example.com'], 'idp:Doomed': ['ann@example.com', 'bob@example.com'] });
    const deleted = await client.delete(`/Groups/${id}`);
    expect(deleted.status).toBe(204);
    expect((await client.get(`/Groups/${id}`)).status).toBe(404);
    expect((await client.delete(`/Groups/${id}`)).status).toBe(404);
    expect(await mirrored()).toEqual({ 'idp:Keep': ['ann@example.com'] });
    expect(await apiMembers(client, keep)).toEqual([ann]);
    // The tombstone is gone once projected, and the name is free again.
    expect(await system.models.ScimGroupResource.collection.countDocuments({ _id: id as never })).toBe(0);
    expect((await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'doomed' })).status).toBe(201);
  });

  it('keeps displayName unique per setting (case-insensitive): 409 on POST, PUT and PATCH', async () => {
    const a = await createGroup(client, 'Alpha', [ann]);
    const b = await createGroup(client, 'Beta', [bob]);
    const dup = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'ALPHA' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(scimError(409, 'uniqueness'));
    const put = await client.put(`/Groups/${b}`, { schemas: [GROUP_SCHEMA], displayName: 'alpha', members: refs(cy) });
    expect(put.status).toBe(409);
    const patch = await client.patch(`/Groups/${b}`, patchOp({ op: 'replace', path: 'displayName', value: 'Alpha' }, { op: 'add', path: 'members', value: refs(cy) }));
    expect(patch.status).toBe(409);
    expect(await apiMembers(client, b)).toEqual([bob]);
    expect((await client.get(`/Groups/${b}`)).body.displayName).toBe('Beta');
    expect(await apiMembers(client, a)).toEqual([ann]);

    expect(await mirrored()).toEqual({ 'idp:Alpha': ['ann@example.com'], 'idp:Beta': ['bob@example.com'] });

    // Another setting of the same company may use the name; each mirrors to a target group of its own.
    const other = await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups' });
    const otherClient = scimClient(system, other.token);
    expect((await otherClient.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Alpha' })).status).toBe(201);
    expect((await otherClient.get(`/Groups/${a}`)).status).toBe(404);
    await system.idle();
    expect(await system.models.TargetGroup.countDocuments({ companyId, name: 'Alpha', source: 'idp' })).toBe(2);
  });
});
