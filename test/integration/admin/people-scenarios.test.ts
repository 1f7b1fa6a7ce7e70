import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { createUsers, eventually } from './support/console-flows';
import { ConsoleProcesses } from './support/console-processes';

const PASSWORD = 'people scenarios password';

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
});
