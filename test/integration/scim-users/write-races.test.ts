import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { rawUser, sourceOf, systemEnv, targetState } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * Writes that meet on one user: an IdP update while the previous version is being projected,
 * and several PATCHes at once. Every 2xx must be kept (the stored resource's version counts them)
 * and the target user must end on the last one.
 */
describe('SCIM Users: writes that race', () => {
  let system: TestSystem;
  let idp: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_races', { env: systemEnv, concurrency: 4 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    const { token } = await makeScimSetting(system.models, company._id);
    idp = scimClient(system, token);
  });

  it('keeps a PUT that arrives while the create is being projected', async () => {
    for (let round = 0; round < 6; round += 1) {
      const body = oktaUser(`race-${round}@example.com`);
      const created = await idp.post('/Users', body);
      expect(created.status).toBe(201);
      const put = await idp.put(`/Users/${created.body.id}`, { ...body, title: `Title ${round}`, active: false });
      expect(put.status).toBe(200);
      await system.idle();
      const stored = await rawUser(system, created.body.id);
      expect({ round, version: stored?.version, title: stored?.data.title, active: stored?.data.active }).toEqual({ round, version: 2, title: `Title ${round}`, active: false });
      expect({ round, ...(await targetState(system, created.body.id)) }).toMatchObject({ round, title: `Title ${round}`, status: 'inactive' });
    }
  });

  it('keeps a DELETE that arrives while the create is being projected, and frees the name at once', async () => {
    for (let round = 0; round < 6; round += 1) {
      const body = oktaUser(`gone-${round}@example.com`);
      const created = await idp.post('/Users', body);
      expect((await idp.delete(`/Users/${created.body.id}`)).status).toBe(204);
      expect({ round, status: (await idp.get(`/Users/${created.body.id}`)).status }).toEqual({ round, status: 404 });
      const again = await idp.post('/Users', body);
      expect({ round, status: again.status }).toEqual({ round, status: 201 });
      await system.idle();
      expect({ round, status: (await idp.get(`/Users/${created.body.id}`)).status }).toEqual({ round, status: 404 });
      // One address, one person: the deleted SCIM user stays a source of it, deleted; the new one makes it active.
      expect({ round, status: (await sourceOf(system, created.body.id))?.view?.status }).toEqual({ round, status: 'deleted' });
      expect({ round, ...(await targetState(system, again.body.id)) }).toMatchObject({ round, status: 'active' });
    }
  });

  it('projects the last of several quick writes into the target user', async () => {
    for (let round = 0; round < 6; round += 1) {
      const body = oktaUser(`quick-${round}@example.com`);
      const created = await idp.post('/Users', body);
      await idp.put(`/Users/${created.body.id}`, { ...body, title: 'Second' });
      await system.idle();
      // Two updates in flight at once, with no create racing them.
      await idp.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'title', value: 'Third' }));
      await idp.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'title', value: 'Fourth' }));
      await system.idle();
      expect({ round, stored: (await rawUser(system, created.body.id))?.data.title }).toEqual({ round, stored: 'Fourth' });
      expect({ round, projected: (await targetState(system, created.body.id))?.title }).toEqual({ round, projected: 'Fourth' });
    }
  });

  it('applies every one of ten concurrent PATCHes', async () => {
    const created = await idp.post('/Users', oktaUser('many-patches@example.com', { emails: [] }));
    await system.idle();
    const values = Array.from({ length: 10 }, (_, i) => `alias${i}@example.com`);
    const responses = await Promise.all(values.map((value) => idp.patch(`/Users/${created.body.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value, type: 'other' }] }))));
    expect(responses.map((r) => r.status)).toEqual(values.map(() => 200));
    const stored = await rawUser(system, created.body.id);
    expect(stored?.version).toBe(11);
    expect(((stored?.data.emails ?? []) as { value: string }[]).map((e) => e.value).sort()).toEqual(values);
  });
});
