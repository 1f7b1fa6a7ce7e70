import request from 'supertest';
import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { rotateScimToken } from '../../../src/settings/scim-settings';
import { lastTokenUse } from '../../../src/store/token-usage';
import { emptyList, patchOp, scimClient, type ScimClient, scimError, userFilter } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { storedState, systemEnv, targetState } from './support';

/** Only to stagger two concurrent steps of a race (see its use); tests wait on conditions. */
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/**
 * Bearer token → SCIM setting → tenant. A token that is missing, wrong, malformed or disabled
 * gets 401 with a SCIM body and WWW-Authenticate (auth-throttling.test.ts: guessing is rate-limited); no token ever
 * reads or changes the users of another setting, of the same company or another.
 */
describe('SCIM Users: authentication and tenancy over HTTP', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_auth', { env: { ...systemEnv, TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
  });

  async function newSetting(companyId?: Types.ObjectId) {
    const company = companyId ?? (await makeCompany(system.models))._id;
    const { id, token } = await makeScimSetting(system.models, company);
    return { companyId: company, settingId: id, token, client: scimClient(system, token) };
  }

  function expectUnauthorized(res: request.Response) {
    expect({ status: res.status, body: res.body, challenge: res.headers['www-authenticate'], type: res.headers['content-type'] }).toEqual({
      status: 401,
      body: scimError(401),
      challenge: 'Bearer realm="SCIM"',
      type: expect.stringMatching(/^application\/scim\+json/),
    });
  }

  describe('authentication', () => {
    it('answers 401 with a SCIM body and WWW-Authenticate for every kind of bad token, on every method', async () => {
      const { token } = await newSetting();
      const [, prefix = '', secret = ''] = /^scim_([0-9a-f]{12})_(.+)$/.exec(token) ?? [];
      const wrongSecret = `scim_${prefix}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      const unknownPrefix = `scim_${'0'.repeat(12)}_${secret}`;
      const headers: (string | undefined)[] = [
        undefined,
        '',
        'Bearer',
        'Bearer ',
        `Bearer ${wrongSecret}`,
        `Bearer ${unknownPrefix}`,
        'Bearer not-a-token',
        `Bearer ${token}x`,
        `Bearer ${token} extra`,
        `Basic ${Buffer.from(`user:${token}`).toString('base64')}`,
        token,
      ];
      for (const [n, header] of headers.entries()) {
        // Each case from its own client address (TRUST_PROXY=loopback here), so none is rate-limited.
        const from = `198.51.100.${n + 1}`;
        const app = request(system.app);
        const tests = [app.get('/scim/v2/Users'), app.post('/scim/v2/Users').send(oktaUser('x@example.com')), app.get('/scim/Users/abc'), app.delete('/scim/v2/Users/abc')];
        for (const test of tests) {
          const res = await (header === undefined ? test : test.set('Authorization', header)).set('X-Forwarded-For', from);
          expectUnauthorized(res);
        }
      }
      expect(await system.models.ScimUserResource.countDocuments({})).toBe(0);
    });

    it('accepts the scheme name in any case', async () => {
      const { token } = await newSetting();
      const res = await request(system.app).get('/scim/v2/Users').set('Authorization', `bearer ${token}`);
      expect(res.status).toBe(200);
    });

    it('refuses a disabled setting and a rotated-out token, and accepts the new one', async () => {
      const { companyId, settingId, token, client } = await newSetting();
      const created = await client.post('/Users', oktaUser('disabled@example.com'));
      expect(created.status).toBe(201);
      await system.models.ScimSetting.updateOne({ _id: settingId }, { $set: { enabled: false } });
      expectUnauthorized(await client.get(`/Users/${created.body.id}`));
      expectUnauthorized(await client.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'active', value: false })));
      await system.models.ScimSetting.updateOne({ _id: settingId }, { $set: { enabled: true } });
      expect((await client.get(`/Users/${created.body.id}`)).status).toBe(200);

      const rotated = await rotateScimToken(system.models, { companyId, scimSettingId: settingId });
      expect(rotated).not.toBe(token);
      expectUnauthorized(await client.get(`/Users/${created.body.id}`));
      expect((await scimClient(system, rotated).get(`/Users/${created.body.id}`)).status).toBe(200);
    });

    it('never stores or returns the token, and records when the setting was last used', async () => {
      const { companyId, settingId, token, client } = await newSetting();
      expect((await client.get('/Users')).status).toBe(200);
      const setting = await system.models.ScimSetting.collection.findOne({ _id: settingId });
      expect(JSON.stringify(setting)).not.toContain(token.slice(18));
      // Written after the answer, off the request's path.
      const lastUsedAt = await eventually(() => lastTokenUse(system.models, { companyId, scimSettingId: settingId }), (at) => at !== null);
      expect(lastUsedAt).toBeInstanceOf(Date);
    });

    it('keeps a rotated-out token revoked even when it was in use at that moment', async () => {
      const company = await makeCompany(system.models);
      const outcomes: string[] = [];
      for (let round = 0; round < 20; round += 1) {
        const { id, token } = await makeScimSetting(system.models, company._id);
        const get = (bearer: string) => scimClient(system, bearer).get('/Users').set('X-Forwarded-For', `192.0.2.${round}`);
        // The request records "last used" while the rotation lands. The delay before the rotation
        // (0 to 5 ms, another each round) is part of what is tested, not a wait: it staggers the
        // rotation against the request's steps, so the rounds cover different interleavings.
        const [inUse, rotated] = await Promise.all([get(token), delay(round % 6).then(() => rotateScimToken(system.models, { companyId: company._id, scimSettingId: id }))]);
        // A served request writes "last used" after its answer: the old token is tried once that write has landed.
        if (inUse.status === 200) await eventually(() => lastTokenUse(system.models, { companyId: company._id, scimSettingId: id }), (at) => at !== null);
        const old = await get(token);
        const fresh = await get(rotated);
        outcomes.push(`old ${old.status}, new ${fresh.status}`);
      }
      expect(outcomes).toEqual(outcomes.map(() => 'old 401, new 200'));
    });
  });

  describe('tenancy', () => {
    let a: Awaited<ReturnType<typeof newSetting>>;
    let a2: Awaited<ReturnType<typeof newSetting>>;
    let b: Awaited<ReturnType<typeof newSetting>>;
    let bUser: { id: string; userName: string };

    beforeEach(async () => {
      a = await newSetting();
      a2 = await newSetting(a.companyId);
      b = await newSetting();
      const created = await b.client.post('/Users', oktaUser('bee@b.example.com', { externalId: 'b-ext' }));
      bUser = { id: created.body.id, userName: 'bee@b.example.com' };
      await system.idle();
    });

    async function expectCannotTouch(intruder: ScimClient) {
      const before = await storedState(system, bUser.id);
      const targetBefore = await targetState(system, bUser.id);
      const notFound = (res: request.Response) => expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: scimError(404) });
      notFound(await intruder.get(`/Users/${bUser.id}`));
      notFound(await intruder.patch(`/Users/${bUser.id}`, patchOp({ op: 'replace', path: 'active', value: false })));
      notFound(await intruder.put(`/Users/${bUser.id}`, oktaUser(bUser.userName, { active: false })));
      notFound(await intruder.delete(`/Users/${bUser.id}`));
      for (const filter of [`userName eq "${bUser.userName}"`, `id eq "${bUser.id}"`, 'externalId eq "b-ext"', 'userName co "bee"', 'userName pr']) {
        expect((await intruder.get(userFilter(filter))).body).toEqual(emptyList());
      }
      expect((await intruder.get('/Users')).body).toEqual(emptyList());
      await system.idle();
      expect(await storedState(system, bUser.id)).toEqual(before);
      expect(await targetState(system, bUser.id)).toEqual(targetBefore);
      expect(targetBefore?.status).toBe('active');
    }

    it("a token of company A's setting cannot read, change or list company B's users", async () => {
      await expectCannotTouch(a.client);
    });

    it('two settings of the same company are isolated too', async () => {
      const created = await a2.client.post('/Users', oktaUser('sibling@a.example.com'));
      bUser = { id: created.body.id, userName: 'sibling@a.example.com' };
      await system.idle();
      await expectCannotTouch(a.client);
    });

    it('projects each setting’s users into its own company', async () => {
      const mine = await a.client.post('/Users', oktaUser('mine@a.example.com'));
      await system.idle();
      const [aTarget, bTarget] = await Promise.all([
        system.models.TargetUser.findOne({ scimUserId: mine.body.id }).lean(),
        system.models.TargetUser.findOne({ scimUserId: bUser.id }).lean(),
      ]);
      expect(aTarget?.companyId.toHexString()).toBe(a.companyId.toHexString());
      expect(aTarget?.scimSettingId?.toHexString()).toBe(a.settingId.toHexString());
      expect(bTarget?.companyId.toHexString()).toBe(b.companyId.toHexString());
    });

    it('userName is unique per setting, case-insensitively', async () => {
      // The same name in other settings, of the same company or not, is fine.
      expect((await a.client.post('/Users', oktaUser('BEE@b.example.com'))).status).toBe(201);
      expect((await a2.client.post('/Users', oktaUser('bee@b.example.com'))).status).toBe(201);

      for (const userName of ['bee@b.example.com', 'BEE@B.EXAMPLE.COM', ' Bee@B.example.com ']) {
        const dup = await b.client.post('/Users', oktaUser(userName));
        expect({ userName, status: dup.status, body: dup.body }).toEqual({ userName, status: 409, body: scimError(409, 'uniqueness') });
      }

      // Renaming onto a taken name, by PUT or PATCH, is refused and changes nothing.
      const other = await b.client.post('/Users', oktaUser('other@b.example.com'));
      await system.idle();
      const before = await storedState(system, other.body.id);
      const put = await b.client.put(`/Users/${other.body.id}`, oktaUser('Bee@b.example.com'));
      expect({ status: put.status, body: put.body }).toEqual({ status: 409, body: scimError(409, 'uniqueness') });
      const patch = await b.client.patch(`/Users/${other.body.id}`, patchOp({ op: 'replace', path: 'userName', value: 'BEE@b.example.com' }));
      expect({ status: patch.status, body: patch.body }).toEqual({ status: 409, body: scimError(409, 'uniqueness') });
      expect(await storedState(system, other.body.id)).toEqual(before);
      expect(await system.models.ScimUserResource.countDocuments({ scimSettingId: b.settingId })).toBe(2);

      // A user may change the case of its own name.
      const recased = await b.client.patch(`/Users/${bUser.id}`, patchOp({ op: 'replace', path: 'userName', value: 'Bee@B.example.com' }));
      expect(recased.status).toBe(200);
      expect(recased.body.userName).toBe('Bee@B.example.com');
    });

    it('two concurrent creates of one userName: one 201, one 409', async () => {
      const results = await Promise.all([b.client.post('/Users', oktaUser('twin@b.example.com')), b.client.post('/Users', oktaUser('TWIN@b.example.com'))]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await system.models.ScimUserResource.countDocuments({ scimSettingId: b.settingId, userNameKey: 'twin@b.example.com' })).toBe(1);
    });
  });
});
