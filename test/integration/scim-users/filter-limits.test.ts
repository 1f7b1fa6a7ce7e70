import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { scimClient, type ScimClient, scimError, userFilter } from '../../support/scim-client';
import { systemEnv } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; the hook creates users.
jest.setTimeout(60_000);

const USERS = 12;

/**
 * What a filter may cost: or-chains of `eq` on indexed attributes (hundreds of ids in one lookup)
 * are answered, exactly, by one `$in`; any other filter beyond 20 conditions is refused.
 */
describe('SCIM Users: filter cost limits over HTTP', () => {
  let system: TestSystem;
  let idp: ScimClient;
  let ids: string[];
  let deletedId: string;
  let strangerId: string;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_filter_limits', { env: systemEnv });
    const company = await makeCompany(system.models);
    idp = scimClient(system, (await makeScimSetting(system.models, company._id)).token);
    ids = [];
    for (let i = 0; i < USERS; i += 1) {
      const created = await idp.post('/Users', oktaUser(`u${i}@example.com`, { externalId: `ext-${i}` }));
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const deleted = await idp.post('/Users', oktaUser('gone@example.com'));
    deletedId = deleted.body.id;
    expect((await idp.delete(`/Users/${deletedId}`)).status).toBe(204);
    const other = scimClient(system, (await makeScimSetting(system.models, company._id)).token);
    strangerId = (await other.post('/Users', oktaUser('stranger@example.com'))).body.id;
    await system.idle();
  });
  afterAll(async () => system.stop());

  const returnedIds = (body: { Resources: { id: string }[] }) => body.Resources.map((r) => r.id);

  it('answers ~550 "id eq" conditions joined by or with exactly the matching users, paged', async () => {
    const wanted = [ids[0], ids[3], ids[7], ids[11]] as string[];
    const others = Array.from({ length: 545 }, (_, i) => String(i));
    const values = [wanted[0], ...others.slice(0, 200), wanted[1], deletedId, ...others.slice(200, 400), wanted[2], strangerId, ...others.slice(400), wanted[3]];
    const filter = values.map((id) => `id eq ${id}`).join(' or ');
    expect(values.length).toBeGreaterThanOrEqual(550);

    const all = await idp.get(userFilter(filter, '&count=100'));
    expect({ status: all.status, totalResults: all.body.totalResults, ids: returnedIds(all.body) }).toEqual({ status: 200, totalResults: 4, ids: wanted });
    const page = await idp.get(userFilter(filter, '&startIndex=2&count=2'));
    expect({ totalResults: page.body.totalResults, itemsPerPage: page.body.itemsPerPage, ids: returnedIds(page.body) }).toEqual({
      totalResults: 4,
      itemsPerPage: 2,
      ids: wanted.slice(1, 3),
    });
  });

  it('answers an or-chain mixing id, userName and externalId, each its own $in', async () => {
    const clauses = Array.from({ length: 300 }, (_, i) => [`id eq n${i}`, `userName eq "nobody${i}"`, `externalId eq none-${i}`][i % 3]);
    clauses.splice(10, 0, `id eq "${ids[1]}"`);
    clauses.splice(100, 0, 'USERNAME eq "U5@EXAMPLE.COM"');
    clauses.splice(200, 0, 'externalId eq "ext-9"');
    const answer = await idp.get(userFilter(clauses.join(' or ')));
    expect({ status: answer.status, ids: returnedIds(answer.body) }).toEqual({ status: 200, ids: [ids[1], ids[5], ids[9]] });
  });

  it('refuses any other filter of more than 20 conditions with 400 invalidFilter naming the limit', async () => {
    const titles = Array.from({ length: 21 }, (_, i) => `title eq "t${i}"`).join(' or ');
    const mixed = `${Array.from({ length: 100 }, (_, i) => `id eq ${i}`).join(' or ')} or title pr`;
    for (const filter of [titles, mixed]) {
      const answer = await idp.get(userFilter(filter));
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: scimError(400, 'invalidFilter') });
      expect(answer.body.detail).toMatch(/^The filter has \d+ conditions; at most 20 are accepted/);
    }
    const twenty = await idp.get(userFilter(Array.from({ length: 10 }, (_, i) => `(userName eq "u${i}@example.com" and active eq true)`).join(' or ')));
    expect({ status: twenty.status, totalResults: twenty.body.totalResults }).toEqual({ status: 200, totalResults: 10 });
  });
});
