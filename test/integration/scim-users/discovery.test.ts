import { TestSystem } from '../../support/system';
import { loadConfig } from '../../../src/config';
import { createWebApp } from '../../../src/http/app';
import { ScimUserStore } from '../../../src/store/scim-users';
import { ScimGroupStore } from '../../../src/store/scim-groups';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { ENTERPRISE, GROUP_SCHEMA, LIST_SCHEMA, scimClient, scimError, USER_SCHEMA, userFilter } from '../../support/scim-client';
import { PUBLIC_BASE_URL, systemEnv, userMeta } from './support';

// jest.config.js sets testTimeout inside `projects`, where Jest ignores it; hooks here create many users.
jest.setTimeout(60_000);

/** RFC 7644 §4 discovery, and the `/scim` Tenant URL of the customer docs behaving as `/scim/v2`. */
describe('SCIM discovery endpoints and the /scim alias', () => {
  let system: TestSystem;
  let token: string;

  beforeAll(async () => {
    system = await TestSystem.start('scim_users_discovery', { env: systemEnv });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    ({ token } = await makeScimSetting(system.models, company._id));
  });

  describe.each(['/scim/v2', '/scim'])('under %s', (base) => {
    const client = () => scimClient(system, token, { base });

    it('serves /ServiceProviderConfig', async () => {
      const res = await client().get('/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        documentationUri: expect.any(String),
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: 1000 },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', name: 'OAuth Bearer Token', primary: true })],
        meta: { resourceType: 'ServiceProviderConfig', location: `${PUBLIC_BASE_URL}${base}/ServiceProviderConfig` },
      });
    });

    it('answers /serviceConfiguration, in any case, as /ServiceProviderConfig', async () => {
      const expected = (await client().get('/ServiceProviderConfig')).body;
      for (const path of ['/serviceConfiguration', '/ServiceConfiguration']) {
        const res = await client().get(path);
        expect({ status: res.status, type: res.headers['content-type'], body: res.body }).toEqual({
          status: 200,
          type: expect.stringMatching(/^application\/scim\+json/),
          body: expected,
        });
      }
    });

    it('serves /Schemas and each schema by id, in any case', async () => {
      const res = await client().get('/Schemas');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ schemas: [LIST_SCHEMA], totalResults: 3, itemsPerPage: 3, startIndex: 1 });
      expect((res.body.Resources as { id: string }[]).map((s) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA]);

      for (const schema of res.body.Resources as { id: string }[]) {
        const one = await client().get(`/Schemas/${schema.id}`);
        expect(one.status).toBe(200);
        expect(one.body).toEqual(schema);
        expect(one.body.meta).toEqual({ resourceType: 'Schema', location: `${PUBLIC_BASE_URL}${base}/Schemas/${schema.id}` });
      }
      const user = (await client().get(`/Schemas/${USER_SCHEMA.toUpperCase()}`)).body;
      expect(user.id).toBe(USER_SCHEMA);
      const attribute = (name: string) => (user.attributes as { name: string }[]).find((a) => a.name === name);
      expect(attribute('userName')).toMatchObject({ type: 'string', required: true, uniqueness: 'server', caseExact: false, mutability: 'readWrite', multiValued: false });
      expect(attribute('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
      expect(attribute('emails')).toMatchObject({ type: 'complex', multiValued: true, subAttributes: expect.arrayContaining([expect.objectContaining({ name: 'value' })]) });
      expect(attribute('id')).toMatchObject({ mutability: 'readOnly', returned: 'always' });
      const enterprise = (await client().get(`/Schemas/${ENTERPRISE}`)).body;
      expect((enterprise.attributes as { name: string }[]).map((a) => a.name)).toEqual(expect.arrayContaining(['department', 'manager', 'costCenter', 'employeeNumber']));

      const missing = await client().get('/Schemas/urn:nope');
      expect({ status: missing.status, body: missing.body }).toEqual({ status: 404, body: scimError(404) });
    });

    it('serves /ResourceTypes and each type', async () => {
      const res = await client().get('/ResourceTypes');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: [LIST_SCHEMA],
        totalResults: 2,
        itemsPerPage: 2,
        startIndex: 1,
        Resources: [
          {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
            id: 'User',
            name: 'User',
            endpoint: '/Users',
            description: 'User Account',
            schema: USER_SCHEMA,
            schemaExtensions: [{ schema: ENTERPRISE, required: false }],
            meta: { resourceType: 'ResourceType', location: `${PUBLIC_BASE_URL}${base}/ResourceTypes/User` },
          },
          {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
            id: 'Group',
            name: 'Group',
            endpoint: '/Groups',
            description: 'Group',
            schema: GROUP_SCHEMA,
            schemaExtensions: [],
            meta: { resourceType: 'ResourceType', location: `${PUBLIC_BASE_URL}${base}/ResourceTypes/Group` },
          },
        ],
      });
      expect((await client().get('/ResourceTypes/user')).body).toEqual(res.body.Resources[0]);
      expect((await client().get('/ResourceTypes/Device')).status).toBe(404);
    });

    it('serves /Users with the same behaviour and locations on this base', async () => {
      const created = await client().post('/Users', oktaUser(`alias${base.length}@example.com`));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.body.meta).toEqual(userMeta(id, 1, base));
      expect(created.headers.location).toBe(`${PUBLIC_BASE_URL}${base}/Users/${id}`);
      expect((await client().get(userFilter(`userName eq "alias${base.length}@example.com"`))).body.totalResults).toBe(1);

      // The other base sees the same user, with its own locations.
      const other = base === '/scim' ? '/scim/v2' : '/scim';
      const seen = await scimClient(system, token, { base: other }).get(`/Users/${id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.meta).toEqual(userMeta(id, 1, other));
      await system.idle();

      expect((await client().delete(`/Users/${id}`)).status).toBe(204);
      expect((await client().get(`/Users/${id}`)).status).toBe(404);
    });

    it('requires a token for /Users but not for discovery', async () => {
      const anonymous = scimClient(system, undefined, { base });
      expect((await anonymous.get('/ServiceProviderConfig')).status).toBe(200);
      expect((await anonymous.get('/ResourceTypes')).status).toBe(200);
      const users = await anonymous.get('/Users');
      expect({ status: users.status, body: users.body }).toEqual({ status: 401, body: scimError(401) });
    });
  });

  it('uses the host the request came in on when no public base URL is configured', async () => {
    const plain = createWebApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      logger: system.logger,
      models: system.models,
      producer: system.producer,
      users: new ScimUserStore(system.models),
      groups: new ScimGroupStore(system.models),
      metrics: system.metrics,
    });
    const res = await scimClient(system, undefined, { app: () => plain, base: '/scim' }).get('/ServiceProviderConfig').set('Host', 'idp-facing.example.com');
    expect(res.body.meta.location).toBe('http://idp-facing.example.com/scim/ServiceProviderConfig');
    const created = await scimClient(system, token, { app: () => plain }).post('/Users', oktaUser('host@example.com')).set('Host', 'idp-facing.example.com');
    expect(created.headers.location).toBe(`http://idp-facing.example.com/scim/v2/Users/${created.body.id}`);
  });
});
