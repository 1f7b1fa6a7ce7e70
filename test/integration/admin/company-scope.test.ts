import { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';
import { seedPeople } from './support/people';

const PASSWORD = 'company scope password';

interface ListResponse {
  records: Array<{ id: string; params: Record<string, unknown> }>;
}

/**
 * A company admin reaches only its company's records, through AdminJS's API and the console's
 * own pages alike; a platform admin sees every company.
 */
describe('admin console company scope', () => {
  let system: ConsoleProcesses;
  let acme: { companyId: Types.ObjectId; fieldId: string; settingId: string; groupId: string };
  let globex: typeof acme;
  let acmeAdmin: ConsoleClient;
  let platform: ConsoleClient;

  async function seedCompany(name: string, email: string) {
    const company = await system.models.Company.create({ name });
    await saveAdmin(system.models, { email, password: PASSWORD, role: 'companyAdmin', companyId: company._id });
    const field = await makeCustomField(system.models, company._id, 'office', `${name} office`);
    const group = await makeTargetGroup(system.models, company._id, `${name} group`);
    const setting = await makeScimSetting(system.models, company._id, { name: `${name} setting` });
    return { companyId: company._id, fieldId: field._id.toHexString(), settingId: setting.id.toHexString(), groupId: group._id.toHexString() };
  }

  async function signIn(email: string) {
    const c = new ConsoleClient(system.baseUrl);
    expect((await c.login(email, PASSWORD)).status).toBe(303);
    return c;
  }

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_scope');
    acme = await seedCompany('Acme', 'it@acme.example');
    globex = await seedCompany('Globex', 'it@globex.example');
    await saveAdmin(system.models, { email: 'ops@platform.example', password: PASSWORD, role: 'platformAdmin', companyId: null });
    acmeAdmin = await signIn('it@acme.example');
    platform = await signIn('ops@platform.example');
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const names = (list: ListResponse) => list.records.map((r) => r.params.name).sort();

  it('lists only the own company, whatever filter the URL asks for', async () => {
    for (const resource of ['CustomField', 'TargetGroup', 'ScimSetting']) {
      const own = await acmeAdmin.json<ListResponse>(`/admin/api/resources/${resource}/actions/list`);
      expect(own.records.length).toBeGreaterThan(0);
      expect(own.records.every((r) => r.params.companyId === acme.companyId.toHexString())).toBe(true);
      const widened = await acmeAdmin.json<ListResponse>(`/admin/api/resources/${resource}/actions/list?filters.companyId=${globex.companyId.toHexString()}`);
      expect(widened.records.every((r) => r.params.companyId === acme.companyId.toHexString())).toBe(true);
    }
    expect(names(await platform.json<ListResponse>('/admin/api/resources/CustomField/actions/list'))).toEqual(['Acme office', 'Globex office']);
  });

  it('answers another company’s record by id with 404, through the API and the pages', async () => {
    const foreign = [['CustomField', globex.fieldId], ['ScimSetting', globex.settingId], ['TargetGroup', globex.groupId], ['Company', globex.companyId.toHexString()]] as const;
    for (const [resource, id] of foreign) {
      for (const action of ['show', 'edit', 'delete']) {
        const response = await acmeAdmin.get(`/admin/api/resources/${resource}/records/${id}/${action}`, { Accept: 'application/json' });
        expect([resource, action, response.status]).toEqual([resource, action, 404]);
        // Companies are scoped on their own id: another company's id must not lead to the own one.
        expect(response.body).not.toMatch(/Globex|Acme/);
      }
      const page = await acmeAdmin.get(`/admin/resources/${resource}/records/${id}/show`);
      expect([resource, page.status]).toEqual([resource, 404]);
      expect(page.body).not.toContain('Globex');
      expect((await platform.get(`/admin/api/resources/${resource}/records/${id}/show`, { Accept: 'application/json' })).status).toBe(200);
    }

    const page = await acmeAdmin.get(`/admin/x/scim-settings/${globex.settingId}/edit`);
    expect(page.status).toBe(404);
    expect(page.body).not.toContain('Globex');
    expect((await platform.get(`/admin/x/scim-settings/${globex.settingId}/edit`)).status).toBe(200);
  });

  it('changes nothing of another company through edit, delete, rotate or re-sync', async () => {
    await acmeAdmin.post(`/admin/api/resources/CustomField/records/${globex.fieldId}/edit`, { name: 'Hacked' });
    await acmeAdmin.post(`/admin/api/resources/CustomField/records/${globex.fieldId}/delete`, {});
    await acmeAdmin.post(`/admin/api/resources/TargetGroup/records/${globex.groupId}/delete`, {});
    expect((await system.models.CustomField.findById(globex.fieldId))?.name).toBe('Globex office');
    expect(await system.models.TargetGroup.exists({ _id: globex.groupId })).toBeTruthy();

    const before = await system.models.ScimSetting.findById(globex.settingId).lean();
    const csrf = await acmeAdmin.formToken('/admin/x/scim-settings/new');
    for (const action of ['rotate', 'resync', 'enabled', 'edit']) {
      const response = await acmeAdmin.post(`/admin/x/scim-settings/${globex.settingId}/${action}`, { _csrf: csrf, enabled: 'false', name: 'Hacked', groupingCriteria: 'none', deletePolicy: 'markDeleted' });
      expect(response.status).toBe(404);
    }
    const after = await system.models.ScimSetting.findById(globex.settingId).lean();
    expect(after).toEqual(before);
  });

  it('creates records in the own company, whatever company the form names', async () => {
    const created = await acmeAdmin.post('/admin/api/resources/CustomField/actions/new', { name: 'Cost Center', companyId: globex.companyId.toHexString() });
    expect(created.status).toBe(200);
    const field = await system.models.CustomField.findOne({ name: 'Cost Center' });
    expect(field?.companyId.toHexString()).toBe(acme.companyId.toHexString());
    expect(field?.key).toBe('cost_center');
  });

  it('refuses a SCIM setting that maps to another company’s custom field or group', async () => {
    const csrf = await acmeAdmin.formToken('/admin/x/scim-settings/new');
    const response = await acmeAdmin.post('/admin/x/scim-settings/new', {
      _csrf: csrf,
      name: 'Borrowing',
      scimPath: 'title',
      customFieldId: globex.fieldId,
      targetGroupId: globex.groupId,
      groupingCriteria: 'none',
      deletePolicy: 'markDeleted',
    });
    expect(response.status).toBe(422);
    expect(response.body).toContain('This custom field does not exist in the company.');
    expect(response.body).toContain('This target group does not exist in the company.');
    expect(await system.models.ScimSetting.exists({ name: 'Borrowing' })).toBeNull();
  });

  it('keeps another company’s target users invisible, unexportable and unchanged, and adds people to the own company only', async () => {
    const [theirs] = await seedPeople(system.models, globex.companyId, [{ email: 'spy@globex.example', firstName: 'Globex person', manualGroupIds: [globex.groupId] }]);
    await seedPeople(system.models, acme.companyId, [{ email: 'own@acme.example' }]);
    for (const action of ['show', 'edit', 'delete']) {
      expect((await acmeAdmin.get(`/admin/api/resources/TargetUser/records/${theirs}/${action}`, { Accept: 'application/json' })).status).toBe(404);
      expect((await acmeAdmin.post(`/admin/api/resources/TargetUser/records/${theirs}/${action}`, { email: 'hacked@globex.example' })).status).toBe(404);
    }
    expect(await system.models.TargetUser.findById(theirs).lean()).toMatchObject({ email: 'spy@globex.example' });
    const widened = await acmeAdmin.json<ListResponse>(`/admin/api/resources/TargetUser/actions/list?filters.companyId=${globex.companyId.toHexString()}`);
    expect(widened.records).toEqual([]);

    const exported = (await acmeAdmin.get('/admin/api/resources/TargetUser/actions/export')).body;
    expect(exported).toContain('own@acme.example');
    expect(exported).not.toMatch(/globex/i);
    const exportedWidened = (await acmeAdmin.get(`/admin/api/resources/TargetUser/actions/export?filters.companyId=${globex.companyId.toHexString()}`)).body;
    // The header alone: the own company's columns, nobody's row.
    expect(exportedWidened.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean)).toEqual([expect.stringMatching(/^E-mail,First name,.*,Sources,Acme office/)]);
    expect((await platform.get('/admin/api/resources/TargetUser/actions/export')).body).toContain('spy@globex.example');

    // A company admin's new person is in the own company, and may not join another company's group.
    const refused = await acmeAdmin.post('/admin/api/resources/TargetUser/actions/new', { email: 'new@acme.example', companyId: globex.companyId.toHexString(), 'manualGroupIds.0': globex.groupId });
    expect(refused.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors.manualGroupIds?.message).toBe('Choose manual target groups of this company only.');
    await acmeAdmin.post('/admin/api/resources/TargetUser/actions/new', { email: 'new@acme.example', companyId: globex.companyId.toHexString() });
    expect(await system.models.TargetUser.findOne({ emailKey: 'new@acme.example' }).lean()).toMatchObject({ companyId: acme.companyId, origin: 'console' });

    // A platform admin names the company; the same address may live in two companies.
    const unnamed = await platform.post('/admin/api/resources/TargetUser/actions/new', { email: 'new@acme.example' });
    expect(unnamed.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors.companyId?.message).toBe('Choose the company.');
    await platform.post('/admin/api/resources/TargetUser/actions/new', { email: 'NEW@acme.example', companyId: globex.companyId.toHexString(), 'manualGroupIds.0': globex.groupId });
    expect(await system.models.TargetUser.findOne({ companyId: globex.companyId, emailKey: 'new@acme.example' }).lean()).toMatchObject({ origin: 'console', manualGroupIds: [new Types.ObjectId(globex.groupId)] });
    const moved = await platform.post(`/admin/api/resources/TargetUser/records/${theirs}/edit`, { email: 'spy@globex.example', companyId: acme.companyId.toHexString() });
    expect(moved.json<{ record: { errors: Record<string, { message: string }> } }>().record.errors.companyId?.message).toBe('A target user stays in its company.');
    expect(await system.models.TargetUser.findById(theirs).lean()).toMatchObject({ companyId: globex.companyId });
  });

  it('keeps the queue dashboard and other companies out of reach of company admins', async () => {
    expect((await acmeAdmin.get('/admin/api/resources/AdminUser/actions/list', { Accept: 'application/json' })).body).not.toContain('globex');
    const companies = await acmeAdmin.json<ListResponse>('/admin/api/resources/Company/actions/list');
    expect(names(companies)).toEqual(['Acme']);
  });
});
