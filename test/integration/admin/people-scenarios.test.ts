import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { createUsers, entraUser, eventually, scimHeaders } from './support/console-flows';
import { ConsoleProcesses } from './support/console-processes';

const PASSWORD = 'people scenarios password';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface RecordAnswer {
  record: { id: string; params: Record<string, unknown>; errors: Record<string, { message: string }> };
}

/**
 * The customer's scenarios 1 and 2 (/work/shared/docs/people.md) from the console's side: a
 * person an admin added by hand, then sent by a SCIM setting that takes such people over, or by
 * one that does not.
 */
describe('admin console: a person added by hand, then sent by a SCIM setting', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let companyId: Types.ObjectId;
  let finance: Types.ObjectId;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_people_scenarios', { worker: true });
    companyId = (await system.models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(system.models, { email: 'it@acme.example', password: PASSWORD, role: 'companyAdmin', companyId });
    finance = (await makeTargetGroup(system.models, companyId, 'Finance'))._id;
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login('it@acme.example', PASSWORD)).status).toBe(303);
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const addByHand = async (email: string) =>
    (await admin.post('/admin/api/resources/TargetUser/actions/new', { email, firstName: 'Typed', 'manualGroupIds.0': finance.toHexString() })).json<RecordAnswer>().record.id;

  it('scenario 1: the setting takes the person over, with its fields, keeping its manual groups', async () => {
    const entra = await makeScimSetting(system.models, companyId, { name: 'Entra ID' });
    const id = await addByHand('alice@acme.test');
    await createUsers(`${system.baseUrl}/scim`, entra.token, [{ userName: 'Alice@Acme.test', first: 'Alice', last: 'Liddell', department: 'Sales' }]);
    const person = await eventually('alice taken over', system, async () => {
      const doc = await system.models.TargetUser.findById(id).lean();
      return doc && doc.sources.length === 1 ? doc : null;
    });
    expect(await system.models.TargetUser.countDocuments({ companyId, emailKey: 'alice@acme.test' })).toBe(1);
    expect(person).toMatchObject({ origin: 'console', scimSettingId: entra.id, firstName: 'Alice', lastName: 'Liddell', department: 'Sales', manualGroupIds: [finance] });
    expect(person.groupIds.map(String)).toContain(finance.toHexString());

    const page = await admin.json<RecordAnswer>(`/admin/api/resources/TargetUser/records/${id}/show`);
    expect(page.record.params).toMatchObject({ managedBy: 'Entra ID', sourceNames: 'Entra ID' });
    const refused = await admin.post(`/admin/api/resources/TargetUser/records/${id}/edit`, { email: 'other@acme.test' });
    expect(refused.json<RecordAnswer>().record.errors.email?.message).toBe('Managed by Entra ID: change it in the identity provider.');
    const line = await eventually('its sync activity line', system, () => system.models.SyncActivity.findOne({ scimSettingId: entra.id, resourceType: 'User' }).lean());
    expect(line.changes).toContain('took over a console-managed target user');
  }, 90_000);

  it('scenario 2: a setting that does not take people over leaves the person alone, and its page shows the conflict', async () => {
    const okta = await makeScimSetting(system.models, companyId, { name: 'Okta' });
    // The setting form's own field for this is another change's; the stored option is what the projection reads.
    await system.models.ScimSetting.updateOne({ _id: okta.id }, { $set: { takeOverExisting: false } });
    const id = await addByHand('bob@acme.test');
    const [scimId] = Object.values(await createUsers(`${system.baseUrl}/scim`, okta.token, [{ userName: 'bob@acme.test', first: 'Bob', last: 'Okta' }]));
    await eventually('the conflict recorded', system, () => system.models.TargetUserConflict.findOne({ scimSettingId: okta.id }).lean());
    expect(await system.models.TargetUser.findById(id).lean()).toMatchObject({ origin: 'console', sources: [], firstName: 'Typed', scimSettingId: null });

    const page = (await admin.get(`/admin/x/scim-settings/${okta.id.toHexString()}`)).body;
    expect(page).toMatch(/data-figure="conflicts">1</);
    expect(page).toContain(`<tr data-conflict="${scimId}">`);
    expect(page).toContain(`<a href="/admin/resources/TargetUser/records/${id}/show">bob@acme.test</a>`);
    const lines = await eventually('its sync activity line', system, async () => {
      const found = await admin.json<{ records: Array<{ params: Record<string, unknown> }> }>(`/admin/api/resources/SyncActivity/actions/list?filters.outcome=conflict&filters.scimSettingId=${okta.id.toHexString()}`);
      return found.records.length ? found.records : null;
    });
    expect(lines.map((l) => l.params.resourceId)).toEqual([scimId]);
  }, 90_000);

  it('scenario 11: a manager is shown as the person it names, by SCIM id (Entra) or, sent before that person arrives, by external id (OneLogin)', async () => {
    const entra = await makeScimSetting(system.models, companyId, { name: 'Entra managers' });
    const oneLogin = await makeScimSetting(system.models, companyId, { name: 'OneLogin' });
    const post = async (token: string, body: Record<string, unknown>) => {
      const response = await fetch(`${system.baseUrl}/scim/Users`, { method: 'POST', headers: scimHeaders(token), body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const managerOf = (email: string) =>
      eventually(`${email}’s manager found`, system, async () => {
        const list = await admin.json<{ records: Array<{ params: Record<string, unknown> }> }>(`/admin/api/resources/TargetUser/actions/list?filters.search=${encodeURIComponent(email)}`);
        const params = list.records[0]?.params;
        return params?.managerTargetUserId ? params : null;
      });
    const idOf = async (email: string) => String((await system.models.TargetUser.findOne({ companyId, emailKey: email }).lean())?._id);

    // Entra: the manager's SCIM id, which the service gave the manager when it was created.
    const carol = await post(entra.token, entraUser({ userName: 'carol@acme.test', first: 'Carol', last: 'Boss' }));
    await post(entra.token, { ...entraUser({ userName: 'dave@acme.test', first: 'Dave', last: 'Report' }), [ENTERPRISE]: { manager: { value: carol, displayName: 'Carol Boss' } } });
    expect(await managerOf('dave@acme.test')).toMatchObject({ managerTargetUserId: await idOf('carol@acme.test'), managerName: 'Carol Boss', managerEmail: 'carol@acme.test' });

    // OneLogin (its SCIM JSON template in the docs): the manager's external id, sent before the manager exists.
    await post(oneLogin.token, { ...entraUser({ userName: 'erin@acme.test', first: 'Erin', last: 'Report' }), externalId: 'ol-erin', [ENTERPRISE]: { manager: { managerId: 'ol-frank', displayName: 'Frank Boss' } } });
    await eventually('erin projected', system, () => system.models.TargetUser.findOne({ companyId, emailKey: 'erin@acme.test' }).lean());
    const before = await admin.json<{ records: Array<{ params: Record<string, unknown> }> }>('/admin/api/resources/TargetUser/actions/list?filters.search=erin');
    expect(before.records[0]?.params).toMatchObject({ manager: 'Frank Boss', managerTargetUserId: null });
    await post(oneLogin.token, { ...entraUser({ userName: 'frank@acme.test', first: 'Frank', last: 'Boss' }), externalId: 'ol-frank' });
    expect(await managerOf('erin@acme.test')).toMatchObject({ managerTargetUserId: await idOf('frank@acme.test'), managerEmail: 'frank@acme.test' });
  }, 90_000);
});
