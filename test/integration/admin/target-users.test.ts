import { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { companyLeaseKey } from '../../../src/store/company-lease';
import { releaseLock, tryLock } from '../../../src/store/write-lock';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';
import { seedPeople } from './support/people';

const PASSWORD = 'target users password';

interface RecordAnswer {
  record: { id: string; params: Record<string, unknown>; errors: Record<string, { message: string }> };
  notice?: { message: string; type: string };
  redirectUrl?: string;
}
interface ListAnswer {
  records: Array<{ id: string; params: Record<string, unknown> }>;
  meta: { total: number };
}

/**
 * Target users are people (issue 15): admins add and edit the console-managed ones, put anyone
 * in manual groups, see and filter each person's sources, its manager, and export the list.
 */
describe('admin console target users', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let companyId: Types.ObjectId;
  let entra: string;
  let okta: string;
  let oneLogin: string;
  let office: string;
  let finance: Types.ObjectId;
  let contractors: Types.ObjectId;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_target_users');
    const { models } = system;
    companyId = (await models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(models, { email: 'it@acme.example', password: PASSWORD, role: 'companyAdmin', companyId });
    entra = (await makeScimSetting(models, companyId, { name: 'Entra ID' })).id.toHexString();
    okta = (await makeScimSetting(models, companyId, { name: 'Okta' })).id.toHexString();
    oneLogin = (await makeScimSetting(models, companyId, { name: 'OneLogin' })).id.toHexString();
    office = (await makeCustomField(models, companyId, 'office', 'Office')).key;
    finance = (await makeTargetGroup(models, companyId, 'Finance'))._id;
    contractors = (await makeTargetGroup(models, companyId, 'Contractors'))._id;
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login('it@acme.example', PASSWORD)).status).toBe(303);
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const post = (path: string, form: Record<string, string | string[]>) => admin.post(`/admin/api/resources/TargetUser/${path}`, form);
  const list = (query: string) => admin.json<ListAnswer>(`/admin/api/resources/TargetUser/actions/list?perPage=100&${query}`);
  const person = (id: string) => system.models.TargetUser.findById(id).lean();

  it('adds a console-managed person: a valid address, unique per company whatever its case, its fields and manual groups', async () => {
    const created = (await post('actions/new', { email: ' Alice@Acme.test ', firstName: 'Alice', lastName: 'Liddell', department: 'Sales', [`customFields.${office}`]: 'Berlin', 'customFields.unknown': 'x', 'manualGroupIds.0': finance.toHexString() })).json<RecordAnswer>();
    expect(created.notice).toEqual({ message: 'Target user added.', type: 'success' });
    expect(created.redirectUrl).toBe(`/admin/resources/TargetUser/records/${created.record.id}/show`);
    expect(await person(created.record.id)).toMatchObject({
      companyId, emailKey: 'alice@acme.test', email: 'Alice@Acme.test', origin: 'console', firstName: 'Alice', department: 'Sales', customFields: { office: 'Berlin' },
      sources: [], sourceKeys: [], scimSettingId: null, manualGroupIds: [finance], groupIds: [finance], status: 'active',
    });

    for (const [email, message] of [
      ['', 'Enter the e-mail address.'],
      ['not an address', 'Enter a valid e-mail address, like name@example.com.'],
      ['ALICE@acme.TEST', 'Another target user of this company has this e-mail address.'],
    ]) {
      const answer = await post('actions/new', { email: email!, firstName: 'Typed' });
      expect(answer.status).toBe(200);
      const body = answer.json<RecordAnswer>();
      expect(body.record.errors.email?.message).toBe(message);
      // The form keeps what was typed.
      expect(body.record.params.firstName).toBe('Typed');
    }
    const group = await makeTargetGroup(system.models, (await system.models.Company.create({ name: 'Elsewhere' }))._id, 'Theirs');
    const foreign = (await post('actions/new', { email: 'bo@acme.test', 'manualGroupIds.0': group._id.toHexString() })).json<RecordAnswer>();
    expect(foreign.record.errors.manualGroupIds?.message).toBe('Choose manual target groups of this company only.');
    expect(await system.models.TargetUser.countDocuments({ companyId })).toBe(1);
  });

  it('edits a console-managed person’s fields, but of a SCIM-managed one only its manual groups', async () => {
    const [consoleId, scimId] = await seedPeople(system.models, companyId, [
      { email: 'carol@acme.test', firstName: 'Carol' },
      { email: 'dan@acme.test', firstName: 'Dan', sources: [{ settingId: entra, scimUserId: 'e-dan', groupIds: [contractors.toHexString()] }] },
    ]);
    const edited = (await post(`records/${consoleId}/edit`, { email: 'Carol.H@acme.test', firstName: 'Carol', title: 'CFO', manualGroupIds: '__FORM_VALUE_EMPTY_ARRAY__' })).json<RecordAnswer>();
    expect(edited.notice?.type).toBe('success');
    expect(await person(consoleId!)).toMatchObject({ email: 'Carol.H@acme.test', emailKey: 'carol.h@acme.test', title: 'CFO', manualGroupIds: [], groupIds: [] });
    const clash = (await post(`records/${consoleId}/edit`, { email: 'dan@ACME.test' })).json<RecordAnswer>();
    expect(clash.record.errors.email?.message).toBe('Another target user of this company has this e-mail address.');
    expect(clash.record.params.email).toBe('dan@ACME.test');

    // What the edit page loads: the setting whose fields it shows.
    const page = await admin.json<RecordAnswer>(`/admin/api/resources/TargetUser/records/${scimId}/edit`);
    expect(page.record.params.managedBy).toBe('Entra ID');
    const refused = (await post(`records/${scimId}/edit`, { email: 'changed@acme.test', firstName: 'Dan' })).json<RecordAnswer>();
    expect(refused.record.errors.email?.message).toBe('Managed by Entra ID: change it in the identity provider.');
    expect(await person(scimId!)).toMatchObject({ email: 'dan@acme.test', manualGroupIds: [] });

    // Its own fields posted back unchanged, as its form does: the manual groups change, and its groups are those plus what its source gives.
    await post(`records/${scimId}/edit`, { email: 'dan@acme.test', firstName: 'Dan', 'manualGroupIds.0': finance.toHexString() });
    const withGroup = await person(scimId!);
    expect(withGroup).toMatchObject({ email: 'dan@acme.test', manualGroupIds: [finance] });
    expect(withGroup!.groupIds.map(String).sort()).toEqual([contractors.toHexString(), finance.toHexString()].sort());
    await post(`records/${scimId}/edit`, { email: 'dan@acme.test', manualGroupIds: '__FORM_VALUE_EMPTY_ARRAY__' });
    expect((await person(scimId!))!.groupIds).toEqual([contractors]);
  });

  it('deletes only console-managed people', async () => {
    const [consoleId, scimId] = await seedPeople(system.models, companyId, [
      { email: 'erin@acme.test' },
      { email: 'fay@acme.test', sources: [{ settingId: okta, scimUserId: 'o-fay' }] },
    ]);
    const deleted = (await post(`records/${consoleId}/delete`, {})).json<RecordAnswer>();
    expect(deleted.notice).toEqual({ message: 'Target user deleted.', type: 'success' });
    expect(await person(consoleId!)).toBeNull();
    await post(`records/${scimId}/delete`, {});
    expect(await person(scimId!)).not.toBeNull();
    const shown = await admin.json<{ record: { recordActions: Array<{ name: string }> } }>(`/admin/api/resources/TargetUser/records/${scimId}/show`);
    expect(shown.record.recordActions.map((a) => a.name)).not.toContain('delete');
  });

  it('waits for the projection’s lease, then says so instead of failing', async () => {
    const [id] = await seedPeople(system.models, companyId, [{ email: 'gil@acme.test' }]);
    const key = companyLeaseKey(companyId);
    expect(await tryLock(system.models, key, 'a-projection', 60_000)).toBe(true);
    try {
      const answer = await post(`records/${id}/edit`, { email: 'gil@acme.test', title: 'Typed while projecting' });
      expect(answer.status).toBe(200);
      expect(answer.json<RecordAnswer>().notice).toEqual({ message: 'The target users of this company are being synchronised right now. Try again in a moment.', type: 'error' });
      expect((await person(id!))?.title).toBeNull();
    } finally {
      await releaseLock(system.models, key, 'a-projection');
    }
  }, 60_000);

  it('shows and filters each person’s sources; a setting’s links and counts find people it sends, also when another setting provides the fields', async () => {
    const [both] = await seedPeople(system.models, companyId, [
      { email: 'hal@acme.test', sources: [{ settingId: entra, scimUserId: 'e-hal' }, { settingId: okta, scimUserId: 'o-hal', externalId: '00u-hal' }] },
    ]);
    const byOkta = await list(`filters.source=${okta}`);
    expect(byOkta.records.map((r) => r.params.email).sort()).toEqual(['fay@acme.test', 'hal@acme.test']);
    expect(byOkta.records.find((r) => r.id === both)?.params.sourceNames).toBe('Entra ID, Okta');
    const consoleOnly = await list('filters.source=console');
    expect(consoleOnly.records.map((r) => r.params.email).sort()).toEqual(['Alice@Acme.test', 'Carol.H@acme.test', 'gil@acme.test']);
    expect(new Set(consoleOnly.records.map((r) => r.params.sourceNames))).toEqual(new Set(['Console']));

    // A sync activity line's link, and a setting's page's link, by source.
    const line = await list(`filters.scimUserId=o-hal&filters.scimSettingId=${okta}`);
    expect(line.records.map((r) => r.id)).toEqual([both]);
    expect((await list(`filters.scimUserId=e-hal&filters.scimSettingId=${okta}`)).records).toEqual([]);
    expect((await list(`filters.scimSettingId=${okta}`)).meta.total).toBe(2);
    const settings = await admin.json<ListAnswer>('/admin/api/resources/ScimSetting/actions/list?perPage=10');
    expect(Object.fromEntries(settings.records.map((s) => [s.params.name, s.params.syncedUsers]))).toMatchObject({ 'Entra ID': 2, Okta: 2, OneLogin: 0 });
    expect((await admin.get(`/admin/x/scim-settings/${okta}`)).body).toMatch(/data-figure="users">2</);

    const page = await admin.json<{ record: { params: Record<string, unknown> } }>(`/admin/api/resources/TargetUser/records/${both}/show`);
    expect(page.record.params.sourceLines).toEqual([
      expect.objectContaining({ settingId: entra, setting: 'Entra ID', scimUserId: 'e-hal' }),
      expect.objectContaining({ settingId: okta, setting: 'Okta', scimUserId: 'o-hal', externalId: '00u-hal' }),
    ]);
  });

  it('resolves a manager by SCIM id or, for OneLogin, external id, in the same setting, whoever arrived first; else shows the name sent', async () => {
    const [bob, olga, nia] = await seedPeople(system.models, companyId, [
      { email: 'bob@acme.test', sources: [{ settingId: entra, scimUserId: 'e-bob', managerId: 'e-ann', manager: 'Ann Boss' }] },
      { email: 'olga@acme.test', sources: [{ settingId: oneLogin, scimUserId: 'ol-olga', managerId: 'ext-ann', manager: 'Ann Boss' }] },
      // The id of someone of another setting only: not resolved.
      { email: 'nia@acme.test', sources: [{ settingId: okta, scimUserId: 'o-nia', managerId: 'e-ann', manager: 'Ann Boss' }] },
    ]);
    const before = await list('filters.search=acme.test');
    expect(before.records.find((r) => r.id === bob)?.params).toMatchObject({ manager: 'Ann Boss', managerTargetUserId: null });
    // Ann arrives after the people she manages.
    const [ann] = await seedPeople(system.models, companyId, [
      { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Boss', sources: [{ settingId: entra, scimUserId: 'e-ann' }, { settingId: oneLogin, scimUserId: 'ol-ann', externalId: 'ext-ann' }] },
    ]);
    const after = await list('filters.search=acme.test');
    const managerOf = (id: string) => after.records.find((r) => r.id === id)?.params;
    expect(managerOf(bob!)).toMatchObject({ managerTargetUserId: ann, managerName: 'Ann Boss', managerEmail: 'ann@acme.test' });
    expect(managerOf(olga!)).toMatchObject({ managerTargetUserId: ann });
    expect(managerOf(nia!)).toMatchObject({ managerTargetUserId: null, manager: 'Ann Boss' });
  });

  it('exports the list as filtered and searched, as CSV a spreadsheet never runs', async () => {
    await seedPeople(system.models, companyId, [
      { email: 'ivy@acme.test', firstName: '=HYPERLINK("http://evil.example","x")', lastName: '+1', customFields: { office: '@Paris' }, sources: [{ settingId: okta, scimUserId: 'o-ivy', department: '-Sales' }] },
    ]);
    const answer = await admin.get(`/admin/api/resources/TargetUser/actions/export?filters.source=${okta}&filters.search=y`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="target-users-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = answer.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('E-mail,First name,Last name,Department,Title,Phone,Manager,Groups,Status,Sources,Office');
    // Okta's people with a "y" in their address or name: fay and ivy (hal has none).
    expect(lines.slice(1, -1)).toEqual([
      'fay@acme.test,,,,,,,,active,Okta,',
      `ivy@acme.test,"'=HYPERLINK(""http://evil.example"",""x"")",'+1,'-Sales,,,,,active,Okta,'@Paris`,
    ]);
    expect(lines.at(-1)).toBe('');

    // The manager column names the person found.
    const all = (await admin.get('/admin/api/resources/TargetUser/actions/export?filters.search=bob')).body.split('\r\n');
    expect(all[1]).toBe('bob@acme.test,,,,,,Ann Boss <ann@acme.test>,,active,Entra ID,');
    // Nothing changes on the way: a GET.
    expect((await admin.request('HEAD', '/admin/api/resources/TargetUser/actions/export')).status).toBe(200);
  });

  it('shows a setting’s conflicts on its page, and the sync activity knows the outcome', async () => {
    const [held] = await seedPeople(system.models, companyId, [{ email: 'jo@acme.test' }]);
    const setting = new Types.ObjectId(entra);
    await system.models.TargetUserConflict.create({ _id: `${entra}:e-jo`, companyId, scimSettingId: setting, scimUserId: 'e-jo', reason: 'takeOverOff', email: 'Jo@acme.test', heldBy: held!, at: new Date() });
    await system.models.SyncActivity.create({ companyId, scimSettingId: setting, operation: 'POST /Users', resourceType: 'User', resourceId: 'e-jo', outcome: 'conflict', email: 'Jo@acme.test', error: 'Jo@acme.test belongs to a console-managed target user' });
    const page = (await admin.get(`/admin/x/scim-settings/${entra}`)).body;
    expect(page).toMatch(/data-figure="conflicts">1</);
    expect(page).toContain('<tr data-conflict="e-jo"><td><code>e-jo</code></td><td>Jo@acme.test</td>');
    expect(page).toContain(`<a href="/admin/resources/TargetUser/records/${held}/show">jo@acme.test</a>`);
    expect(page).toContain('this setting does not take those over');
    const conflicts = await admin.json<ListAnswer>(`/admin/api/resources/SyncActivity/actions/list?filters.outcome=conflict&filters.scimSettingId=${entra}`);
    expect(conflicts.records.map((r) => r.params.resourceId)).toEqual(['e-jo']);
  });

  it('drops a deleted target group from everyone’s manual groups', async () => {
    const temporary = await makeTargetGroup(system.models, companyId, 'Temporary');
    const [kim, lee] = await seedPeople(system.models, companyId, [
      { email: 'kim@acme.test', manualGroupIds: [temporary._id.toHexString(), finance.toHexString()] },
      { email: 'lee@acme.test', manualGroupIds: [temporary._id.toHexString()], sources: [{ settingId: entra, scimUserId: 'e-lee', groupIds: [contractors.toHexString()] }] },
    ]);
    await admin.post(`/admin/api/resources/TargetGroup/records/${temporary._id.toHexString()}/delete`, {});
    expect(await system.models.TargetGroup.exists({ _id: temporary._id })).toBeNull();
    expect(await person(kim!)).toMatchObject({ manualGroupIds: [finance], groupIds: [finance] });
    expect(await person(lee!)).toMatchObject({ manualGroupIds: [], groupIds: [contractors] });
  });
});
