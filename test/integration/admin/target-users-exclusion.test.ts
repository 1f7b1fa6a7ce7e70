import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { createUsers, eventually, scimHeaders } from './support/console-flows';
import { ConsoleProcesses } from './support/console-processes';
import { seedPeople } from './support/people';

const PASSWORD = 'exclusion password';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface RecordAnswer {
  record: { id: string; params: Record<string, unknown>; errors: Record<string, { message: string }>; recordActions: Array<{ name: string }> };
  notice?: { message: string; type: string };
  redirectUrl?: string;
}
interface ListAnswer {
  records: Array<{ id: string; params: Record<string, unknown> }>;
}

/**
 * Issue 15, item 5 from the console's side: a target user excluded from SCIM management after a
 * confirmation, edited while SCIM's changes to it are recorded but not shown, then managed by
 * SCIM again; in bulk; and within the admin's company only. The SCIM requests go through the
 * intake and the worker.
 */
describe('admin console: excluding target users from SCIM management', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let companyId: Types.ObjectId;
  let entra: { id: Types.ObjectId; token: string };
  let finance: Types.ObjectId;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_exclusion', { worker: true });
    const { models } = system;
    companyId = (await models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(models, { email: 'it@acme.example', password: PASSWORD, role: 'companyAdmin', companyId });
    entra = await makeScimSetting(models, companyId, { name: 'Entra ID', groupingCriteria: 'department' });
    finance = (await makeTargetGroup(models, companyId, 'Finance'))._id;
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login('it@acme.example', PASSWORD)).status).toBe(303);
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const api = (path: string) => `/admin/api/resources/TargetUser/${path}`;
  const page = (id: string) => admin.json<RecordAnswer>(api(`records/${id}/show`));
  const list = async (query: string) => (await admin.json<ListAnswer>(api(`actions/list?perPage=100&${query}`))).records.map((r) => r.params.email).sort();
  const person = (id: string) => system.models.TargetUser.findById(id).lean();
  const groupNamed = async (name: string) => (await system.models.TargetGroup.findOne({ companyId, name }).lean())?._id;
  const patchUser = async (scimId: string, ...operations: Array<Record<string, unknown>>) => {
    const response = await fetch(`${system.baseUrl}/scim/Users/${scimId}`, { method: 'PATCH', headers: scimHeaders(entra.token), body: JSON.stringify({ schemas: [PATCH], Operations: operations }) });
    expect(response.status).toBe(200);
  };
  const projected = (what: string, check: () => Promise<unknown>) => eventually(what, system, async () => Boolean(await check()));

  /** A SCIM user of Entra, as the worker projected it: its target user's id. */
  async function fromEntra(userName: string, first: string, department: string): Promise<{ id: string; scimId: string }> {
    const scimId = (await createUsers(`${system.baseUrl}/scim`, entra.token, [{ userName, first, last: 'Entra', department }]))[userName]!;
    const doc = await eventually(`${userName} projected`, system, () => system.models.TargetUser.findOne({ companyId, sourceKeys: `${entra.id.toHexString()}:${scimId}` }).lean());
    return { id: String(doc._id), scimId };
  }

  it('excludes a target user after asking; it is edited here while what SCIM sends is recorded, not shown; managed by SCIM again it is derived at once', async () => {
    const { id, scimId } = await fromEntra('bob@acme.test', 'Bob', 'Sales');
    const sales = await groupNamed('Sales');
    expect((await page(id)).record.recordActions.map((a) => a.name)).toEqual(expect.arrayContaining(['excludeFromScim', 'edit']));
    expect((await page(id)).record.recordActions.map((a) => a.name)).not.toContain('manageByScim');

    // The confirmation's page loads the person with a GET (and a HEAD does nothing either): nothing changes.
    const asked = await admin.json<RecordAnswer>(api(`records/${id}/excludeFromScim`));
    expect(asked.record.params).toMatchObject({ email: 'bob@acme.test', sourceNames: 'Entra ID' });
    expect((await admin.request('HEAD', api(`records/${id}/excludeFromScim`))).status).toBe(200);
    expect((await person(id))?.scimExclusion).toBeNull();

    const excluded = (await admin.post(api(`records/${id}/excludeFromScim`), {})).json<RecordAnswer>();
    expect(excluded.notice).toEqual({ message: 'Target user excluded from SCIM management.', type: 'success' });
    expect(excluded.redirectUrl).toBe(`/admin/resources/TargetUser/records/${id}/show`);
    expect((await person(id))?.scimExclusion).toMatchObject({ at: expect.any(Date), groupIds: [sales] });
    const shown = (await page(id)).record;
    expect(shown.params).toMatchObject({ sourceNames: 'Excluded from SCIM (Entra ID)', managedBy: null, addressKept: true });
    expect(shown.params.scimManagement).toMatch(/^Excluded from SCIM management since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: its fields, status and groups stay as they were, and are edited here\. Entra ID still sends it/);
    expect(shown.recordActions.map((a) => a.name)).toEqual(expect.arrayContaining(['manageByScim', 'edit']));
    expect(shown.recordActions.map((a) => a.name)).not.toContain('excludeFromScim');
    expect(shown.recordActions.map((a) => a.name)).not.toContain('delete');
    expect(await list('filters.source=excluded')).toEqual(['bob@acme.test']);
    expect(await list('filters.source=console')).not.toContain('bob@acme.test');

    // Edited like a person added by hand, but for its address, which its source is recorded under.
    const moved = (await admin.post(api(`records/${id}/edit`), { email: 'robert@acme.test', firstName: 'Robert' })).json<RecordAnswer>();
    expect(moved.record.errors.email?.message).toBe('Its SCIM settings send this target user under this address: it stays while they do.');
    const edited = (await admin.post(api(`records/${id}/edit`), { email: 'Bob@acme.test', firstName: 'Robert', lastName: 'Builder', department: 'Sales', title: 'Site lead', 'manualGroupIds.0': finance.toHexString() })).json<RecordAnswer>();
    expect(edited.notice?.type).toBe('success');
    expect(await person(id)).toMatchObject({ email: 'Bob@acme.test', emailKey: 'bob@acme.test', firstName: 'Robert', title: 'Site lead', department: 'Sales', status: 'active' });
    expect((await person(id))!.groupIds.map(String).sort()).toEqual([finance, sales].map(String).sort());

    // Entra moves Bob to Marketing and deactivates him: recorded on its source, not shown.
    await patchUser(scimId, { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Marketing' }, { op: 'replace', value: { active: false } });
    const line = await eventually('the line of the excluded person', system, () => system.models.SyncActivity.findOne({ resourceId: scimId, version: 2 }).lean());
    expect(line).toMatchObject({ outcome: 'skipped', changes: ['target user excluded from SCIM management: not changed'] });
    expect(await person(id)).toMatchObject({ firstName: 'Robert', department: 'Sales', status: 'active' });
    expect((await person(id))!.sources[0]).toMatchObject({ version: 2, view: { department: 'Marketing', status: 'inactive' } });

    // Managed by SCIM again: Entra's fields, status and groups at once; what was typed gives way, the manual group stays.
    expect((await admin.json<RecordAnswer>(api(`records/${id}/manageByScim`))).record.id).toBe(id);
    const included = (await admin.post(api(`records/${id}/manageByScim`), {})).json<RecordAnswer>();
    expect(included.notice).toEqual({ message: 'Target user managed by SCIM again.', type: 'success' });
    const marketing = await groupNamed('Marketing');
    expect(await person(id)).toMatchObject({ scimExclusion: null, firstName: 'Bob', lastName: 'Entra', title: null, department: 'Marketing', status: 'inactive', manualGroupIds: [finance] });
    expect((await person(id))!.groupIds.map(String).sort()).toEqual([finance, marketing].map(String).sort());
    expect((await page(id)).record.params).toMatchObject({ sourceNames: 'Entra ID', managedBy: 'Entra ID', scimManagement: 'Managed by SCIM: Entra ID.' });
    // Its SCIM user is handed to the setting's projection, which says so.
    const handed = await eventually('the projection after managing it again', system, () => system.models.SyncActivity.findOne({ resourceId: scimId, operation: `MANAGE BY SCIM AGAIN /Users/${scimId}` }).lean());
    expect(handed.outcome).toBe('unchanged');
  }, 120_000);

  it('follows an address change sent while the person was excluded once it is managed by SCIM again', async () => {
    const { id, scimId } = await fromEntra('carol@acme.test', 'Carol', 'Sales');
    await admin.post(api(`records/${id}/excludeFromScim`), {});
    await patchUser(scimId, { op: 'replace', path: 'emails', value: [{ primary: true, type: 'work', value: 'carol.h@acme.test' }] });
    await eventually('the change recorded', system, () => system.models.SyncActivity.findOne({ resourceId: scimId, version: 2 }).lean());
    expect(await person(id)).toMatchObject({ emailKey: 'carol@acme.test', email: 'carol@acme.test' });
    await admin.post(api(`records/${id}/manageByScim`), {});
    await projected('carol moved', async () => (await person(id))?.emailKey === 'carol.h@acme.test');
    expect(await person(id)).toMatchObject({ email: 'carol.h@acme.test', scimExclusion: null });
  }, 120_000);

  it('excludes and manages again those chosen on the list, leaving the others as they are, within the admin’s company', async () => {
    const [dan, eve, typed] = await seedPeople(system.models, companyId, [
      { email: 'dan@acme.test', sources: [{ settingId: entra.id.toHexString(), scimUserId: 'e-dan' }] },
      { email: 'eve@acme.test', sources: [{ settingId: entra.id.toHexString(), scimUserId: 'e-eve' }] },
      { email: 'fay@acme.test' },
    ]);
    const chosen = `recordIds=${[dan, eve, typed].join(',')}`;
    const asked = await admin.json<ListAnswer>(api(`bulk/bulkExcludeFromScim?${chosen}`));
    expect(asked.records.map((r) => r.params.email).sort()).toEqual(['dan@acme.test', 'eve@acme.test', 'fay@acme.test']);
    expect(await list('filters.source=excluded&filters.search=acme.test')).not.toContain('dan@acme.test');

    const done = (await admin.post(api(`bulk/bulkExcludeFromScim?${chosen}`), {})).json<{ notice: { message: string; type: string }; redirectUrl: string }>();
    expect(done.notice).toEqual({ message: '2 target users excluded from SCIM management. 1 was left as it was: already excluded, or sent by no SCIM setting.', type: 'success' });
    expect(done.redirectUrl).toBe('/admin/resources/TargetUser');
    expect(await list('filters.source=excluded')).toEqual(expect.arrayContaining(['dan@acme.test', 'eve@acme.test']));
    expect((await person(typed!))?.scimExclusion ?? null).toBeNull();

    // Another company's admin finds none of them.
    const globex = (await system.models.Company.create({ name: 'Globex' }))._id;
    await saveAdmin(system.models, { email: 'it@globex.example', password: PASSWORD, role: 'companyAdmin', companyId: globex });
    const stranger = new ConsoleClient(system.baseUrl);
    await stranger.login('it@globex.example', PASSWORD);
    expect((await stranger.post(api(`records/${dan}/manageByScim`), {})).status).toBe(404);
    expect((await stranger.post(api(`bulk/bulkManageByScim?recordIds=${dan}`), {})).status).toBe(404);
    expect((await person(dan!))?.scimExclusion).not.toBeNull();

    const back = (await admin.post(api(`bulk/bulkManageByScim?recordIds=${dan},${eve}`), {})).json<{ notice: { message: string } }>();
    expect(back.notice.message).toBe('2 target users managed by SCIM again.');
    expect(await list('filters.source=excluded')).not.toContain('dan@acme.test');
  }, 120_000);
});
