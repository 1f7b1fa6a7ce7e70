import { ScimUserStore } from '../../../src/store/scim-users';
import { eventually } from '../../support/eventually';
import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';
import { seedPeople } from './support/people';

const ADMIN = { email: 'it@acme.example', password: 'records test password' };

/** Custom fields and target groups through AdminJS's API: the rules the console adds to plain CRUD. */
describe('admin console custom fields and target groups', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let companyId: Types.ObjectId;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_records', { worker: true });
    companyId = (await system.models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(system.models, { ...ADMIN, role: 'companyAdmin', companyId });
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const api = (path: string, form: Record<string, string>) => admin.post(`/admin/api/resources/${path}`, form);

  it('keeps a custom field’s key when it is renamed, and refuses to delete a mapped one', async () => {
    await api('CustomField/actions/new', { name: 'Office Location' });
    const field = (await system.models.CustomField.findOne({ name: 'Office Location' }))!;
    expect(field.key).toBe('office_location');
    await api(`CustomField/records/${field._id.toHexString()}/edit`, { name: 'Office', key: 'hijacked' });
    expect(await system.models.CustomField.findById(field._id).lean()).toMatchObject({ name: 'Office', key: 'office_location' });

    await makeScimSetting(system.models, companyId, { name: 'Okta', fieldMappings: [{ scimPath: 'title', customFieldId: field._id }] });
    const refused = await api(`CustomField/records/${field._id.toHexString()}/delete`, {});
    expect(refused.json<{ notice: { message: string; type: string } }>().notice).toEqual({ message: 'SCIM setting "Okta" maps to this field. Remove the mapping first.', type: 'error' });
    expect(await system.models.CustomField.exists({ _id: field._id })).toBeTruthy();

    const spare = await makeCustomField(system.models, companyId, 'spare', 'Spare');
    await api(`CustomField/records/${spare._id.toHexString()}/delete`, {});
    expect(await system.models.CustomField.exists({ _id: spare._id })).toBeNull();
  });

  it('keeps custom field names unique per company whatever their case, on create, on rename and in a race', async () => {
    expect((await api('CustomField/actions/new', { name: 'Region' })).status).toBe(200);
    for (const name of ['REGION', ' region ']) {
      const duplicate = await api('CustomField/actions/new', { name });
      expect(duplicate.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors.name?.message).toBe('This company already has a custom field with this name.');
    }
    const cost = await makeCustomField(system.models, companyId, 'cost', 'Cost');
    const renamed = await api(`CustomField/records/${cost._id.toHexString()}/edit`, { name: 'region' });
    expect(renamed.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors.name?.message).toBe('This company already has a custom field with this name.');
    expect((await system.models.CustomField.findById(cost._id).lean())?.name).toBe('Cost');
    // A field may change the case of its own name; another company may use the name.
    const region = (await system.models.CustomField.findOne({ companyId, name: 'Region' }))!;
    await api(`CustomField/records/${region._id.toHexString()}/edit`, { name: 'REGION' });
    expect((await system.models.CustomField.findById(region._id).lean())?.name).toBe('REGION');
    const other = await system.models.Company.create({ name: 'Globex' });
    await expect(makeCustomField(system.models, other._id, 'region', 'region')).resolves.toBeTruthy();

    // Saved at the same moment, the check before saving cannot see the others: the index decides.
    const racers = ['Team', 'TEAM', 'team', 'Team ', 'tEaM'];
    const answers = await Promise.all(racers.map((name) => api('CustomField/actions/new', { name })));
    expect(answers.map((a) => a.status)).toEqual(racers.map(() => 200));
    expect(await system.models.CustomField.countDocuments({ companyId, nameKey: `${companyId.toHexString()}:team` })).toBe(1);
    const refusals = answers.map((a) => a.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors).filter((e) => Object.keys(e).length > 0);
    expect(refusals.map((errors) => errors.name?.message)).toEqual(racers.slice(1).map(() => 'This company already has a custom field with this name.'));

    // Renames racing to one name: FerretDB refuses an update differently from an insert, answered alike.
    const renamers = await Promise.all(['zone_a', 'zone_b', 'zone_c'].map((key) => makeCustomField(system.models, companyId, key, key)));
    const renames = await Promise.all(renamers.map((f, i) => api(`CustomField/records/${f._id.toHexString()}/edit`, { name: ['Zone', 'ZONE', 'zone'][i]! })));
    expect(renames.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await system.models.CustomField.countDocuments({ nameKey: `${companyId.toHexString()}:zone` })).toBe(1);
  });

  it('creates manual target groups with unique names', async () => {
    await api('TargetGroup/actions/new', { name: 'Finance', source: 'idp', scimGroupId: 'x' });
    const group = await system.models.TargetGroup.findOne({ name: 'Finance' }).lean();
    expect(group).toMatchObject({ key: 'name:Finance', source: 'manual', scimGroupId: null, companyId });
    const duplicate = await api('TargetGroup/actions/new', { name: 'Finance' });
    expect(duplicate.body).toContain('This company already has a target group with this name.');
    expect(await system.models.TargetGroup.countDocuments({ name: 'Finance' })).toBe(1);
  });

  it('counts members, and on delete drops the memberships but refuses a group a setting syncs to', async () => {
    const kept = await makeTargetGroup(system.models, companyId, 'Everyone');
    const gone = await makeTargetGroup(system.models, companyId, 'Contractors');
    const setting = await makeScimSetting(system.models, companyId, { name: 'Entra', targetGroupId: kept._id });
    const tenant = { companyId, scimSettingId: setting.id };
    const scimUser = await new ScimUserStore(system.models).create(tenant, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'u1@acme.example' }, 'test-request');
    await eventually(() => system.models.ProjectionDue.countDocuments({ scimSettingId: setting.id }), (n) => n === 0, 30_000);
    // Projected into the chosen group; and, as if put there by hand before, in Contractors too.
    await system.models.TargetUser.updateOne({ scimUserId: scimUser._id }, { $set: { groupIds: [kept._id, gone._id], manualGroupIds: [gone._id] } });

    const listed = await admin.json<{ records: Array<{ params: Record<string, unknown> }> }>('/admin/api/resources/TargetGroup/actions/list?filters.name=Contractors');
    expect(listed.records[0]?.params.memberCount).toBe(1);
    // The source badge: a manual group a setting names as its Group Name stays manual, and says which setting chose it.
    const sources = await admin.json<{ records: Array<{ params: Record<string, unknown> }> }>('/admin/api/resources/TargetGroup/actions/list?perPage=100');
    expect(Object.fromEntries(sources.records.map((r) => [r.params.name, [r.params.sourceKind, r.params.sourceLabel]]))).toMatchObject({
      Everyone: ['manual', 'Manual · Group Name of Entra'],
      Contractors: ['manual', 'Manual'],
    });

    await api(`TargetGroup/records/${kept._id.toHexString()}/delete`, {});
    expect(await system.models.TargetGroup.exists({ _id: kept._id })).toBeTruthy();
    await api(`TargetGroup/records/${gone._id.toHexString()}/delete`, {});
    expect(await system.models.TargetGroup.exists({ _id: gone._id })).toBeNull();
    // The user's setting's projection (its one writer) drops the group.
    const groupsOf = async () => (await system.models.TargetUser.findOne({ scimUserId: scimUser._id }).lean())?.groupIds.map(String);
    expect(await eventually(groupsOf, (ids) => ids?.length === 1, 30_000)).toEqual([kept._id.toHexString()]);
  });

  it('leaves group-by and IdP groups to the workers, and the fields of a SCIM-managed target user to its identity provider', async () => {
    const byDepartment = await system.models.TargetGroup.create({ companyId, name: 'Sales', key: 'name:Sales', source: 'groupBy' });
    await api(`TargetGroup/records/${byDepartment._id.toHexString()}/edit`, { name: 'Renamed' });
    await api(`TargetGroup/records/${byDepartment._id.toHexString()}/delete`, {});
    expect(await system.models.TargetGroup.findById(byDepartment._id).lean()).toMatchObject({ name: 'Sales' });

    const setting = await makeScimSetting(system.models, companyId, { name: 'Okta' });
    const [scimManaged, consoleManaged] = await seedPeople(system.models, companyId, [
      { email: 'a@acme.example', sources: [{ settingId: setting.id.toHexString(), scimUserId: 'u2' }] },
      { email: 'b@acme.example' },
    ]);
    const refused = await api(`TargetUser/records/${scimManaged}/edit`, { email: 'changed@acme.example' });
    expect(refused.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors.email?.message).toBe('Managed by Okta: change it in the identity provider.');
    await api(`TargetUser/records/${scimManaged}/delete`, {});
    expect(await system.models.TargetUser.findById(scimManaged).lean()).toMatchObject({ email: 'a@acme.example' });

    await api(`TargetUser/records/${consoleManaged}/edit`, { email: 'changed@acme.example' });
    expect(await system.models.TargetUser.findById(consoleManaged).lean()).toMatchObject({ email: 'changed@acme.example', emailKey: 'changed@acme.example' });
    await api(`TargetUser/records/${consoleManaged}/delete`, {});
    expect(await system.models.TargetUser.findById(consoleManaged).lean()).toBeNull();
  });
});
