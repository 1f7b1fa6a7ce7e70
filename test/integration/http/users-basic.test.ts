import { TestSystem } from '../../support/system';
import { scimClient, type ScimClient } from '../../support/scim-client';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';

describe('SCIM Users: intake → queue → worker → target user', () => {
  let system: TestSystem;
  let idp: ScimClient;

  beforeAll(async () => {
    system = await TestSystem.start('users_basic');
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    idp = scimClient(system, (await makeScimSetting(system.models, company._id)).token);
  });

  it('creates a user, answers 201 with the id, and projects it into a target user', async () => {
    const created = await idp.post('/Users', oktaUser('ada@example.com'));
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toMatch(/application\/scim\+json/);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).not.toHaveProperty('password');
    expect(created.headers.location).toMatch(new RegExp(`/scim/v2/Users/${created.body.id}$`));

    const read = await idp.get(`/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.userName).toBe('ada@example.com');

    await system.idle();
    const target = await system.models.TargetUser.findOne({ scimUserId: created.body.id }).lean();
    expect(target).toMatchObject({ email: 'ada@example.com', firstName: 'Test', lastName: 'User', status: 'active' });
  });
});
