import { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { resyncJobId } from '../../../admin/scim-settings/settings-service';
import { hashToken } from '../../../src/tokens/scim-token';
import { personDoc } from '../../../src/store/target-users';
import { makeCustomField } from '../../factories';
import { createUsers } from './support/console-flows';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';

const ADMIN = { email: 'it@acme.example', password: 'scim settings password' };
const ENTERPRISE_DEPARTMENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department';

/** The SCIM setting pages: the form's checks, the token shown once, disable, and re-sync on rule changes. */
describe('admin console SCIM settings', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let officeId: string;
  let costCenterId: string;

  beforeAll(async () => {
    // No worker: queued re-sync jobs stay in the queue where the test can read them.
    system = await ConsoleProcesses.start('console_settings');
    const company = await system.models.Company.create({ name: 'Acme Ltd' });
    await saveAdmin(system.models, { ...ADMIN, role: 'companyAdmin', companyId: company._id });
    officeId = (await makeCustomField(system.models, company._id, 'office', 'Office'))._id.toHexString();
    costCenterId = (await makeCustomField(system.models, company._id, 'cost_center', 'Cost center'))._id.toHexString();
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const form = async (fields: Record<string, string | string[]>) => ({
    _csrf: await admin.formToken('/admin/x/scim-settings/new'),
    groupingCriteria: 'none',
    deletePolicy: 'markDeleted',
    ...fields,
  });

  const shownToken = (page: { body: string }) => /id="secret-token" value="([^"]+)"/.exec(page.body)?.[1];

  /** Saves the form and follows the redirect to the page that shows the token, as a browser does. */
  async function createSetting(name: string, fields: Record<string, string | string[]> = {}) {
    const saved = await admin.post('/admin/x/scim-settings/new', await form({ name, ...fields }));
    expect(saved.status).toBe(303);
    const setting = await system.models.ScimSetting.findOne({ name });
    const tokenPage = saved.headers.get('location')!;
    expect(tokenPage).toMatch(new RegExp(`^/admin/x/scim-settings/${setting!._id.toHexString()}/token\\?key=[\\w-]+$`));
    const response = await admin.get(tokenPage);
    return { response, tokenPage, token: shownToken(response) ?? '', id: setting!._id.toHexString() };
  }

  it('rejects malformed paths and incomplete mappings with a message on the form', async () => {
    const response = await admin.post(
      '/admin/x/scim-settings/new',
      await form({
        name: '',
        scimPath: ['emails[type eq "work"', 'password', 'title', ''],
        customFieldId: [officeId, officeId, '', costCenterId],
        groupingCriteria: 'customField',
        groupByCustomFieldId: new Types.ObjectId().toHexString(),
      }),
    );
    expect(response.status).toBe(422);
    expect(response.body).toContain('Nothing was saved');
    expect(response.body).toContain('Enter a name for the SCIM setting.');
    expect(response.body).toContain('is not a valid SCIM attribute path');
    expect(response.body).toContain('holds a secret that is never stored');
    expect(response.body).toContain('Choose the custom field this attribute fills.');
    expect(response.body).toContain('Enter the SCIM attribute this custom field is filled from.');
    expect(response.body).toContain('Group by needs a custom field mapped on the first page (Map Fields).');
    // What was typed comes back, escaped.
    expect(response.body).toContain('value="emails[type eq &#34;work&#34;"');
    // Group by offers only the custom fields mapped on the first page: Office, not Cost center.
    const officeOnly = await admin.post('/admin/x/scim-settings/new', await form({ name: '', scimPath: 'title', customFieldId: officeId, groupingCriteria: 'customField' }));
    const groupBy = /<select name="groupByCustomFieldId"[^>]*>(.*?)<\/select>/s.exec(officeOnly.body)?.[1];
    expect(groupBy).toBe(`<option value="">Choose a mapped custom field</option><option value="${officeId}">Office</option>`);
    expect(await system.models.ScimSetting.countDocuments()).toBe(0);
  });

  it('shows the token once, never stores or lists it, and accepts it over SCIM', async () => {
    const { response, token, id } = await createSetting('Okta', { scimPath: ENTERPRISE_DEPARTMENT, customFieldId: officeId });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(token).toMatch(/^scim_[0-9a-f]{12}_/);
    // The Tenant URL in the form the customer's IdP guides give it; /scim/v2 is served as well.
    expect(response.body).toContain(`value="${system.baseUrl}/scim"`);
    const stored = await system.models.ScimSetting.findById(id).lean();
    const { hash, prefix } = stored!.token!;
    expect(hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const listed = await admin.get('/admin/api/resources/ScimSetting/actions/list', { Accept: 'application/json' });
    expect(listed.body).not.toContain(hash);
    expect(listed.body).toContain(`scim_${prefix}_…`);
    const filtered = await admin.get(`/admin/api/resources/ScimSetting/actions/list?filters.token.hash=${hash.slice(0, 8)}`, { Accept: 'application/json' });
    expect(filtered.body).not.toContain(hash);

    for (const base of ['/scim', '/scim/v2']) expect((await fetch(`${system.baseUrl}${base}/Users`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await admin.get(`/admin/resources/ScimSetting/records/${id}/show`)).body).not.toContain(token);
    expect((await admin.get(`/admin/x/scim-settings/${id}`)).body).not.toContain(token);
  });

  it('shows a new token once: reloading its page neither creates another setting nor shows the token again', async () => {
    const saved = await admin.post('/admin/x/scim-settings/new', await form({ name: 'Reloaded' }));
    // Between the POST and the page, the session holds the token only sealed (its key is in the URL).
    const sessions = JSON.stringify(await system.database.connection.db!.collection('admin_sessions').find().toArray());
    const first = await admin.get(saved.headers.get('location')!);
    const token = shownToken(first)!;
    expect(token).toMatch(/^scim_[0-9a-f]{12}_/);
    expect(sessions).not.toContain(token);
    // The secret alone (base64url may hold '_', so cut after `scim_<12 hex>_`).
    expect(sessions).not.toContain(token.slice('scim_'.length + 12 + 1));

    const reloaded = await admin.get(saved.headers.get('location')!);
    expect(reloaded.status).toBe(200);
    expect(reloaded.headers.get('cache-control')).toBe('no-store');
    expect(reloaded.body).toContain('was shown once');
    expect(reloaded.body).not.toContain(token);
    expect(shownToken(reloaded)).toBeUndefined();
    expect(await system.models.ScimSetting.countDocuments({ name: 'Reloaded' })).toBe(1);
  });

  it('has the token waiting before the redirect leaves: a browser follows it as soon as its headers arrive', async () => {
    for (let i = 0; i < 10; i += 1) {
      const body = new URLSearchParams({ ...(await form({ name: `Followed ${i}` })) });
      // fetch follows the 303 on its headers, as browsers do, not after the body has ended.
      const page = await fetch(`${system.baseUrl}/admin/x/scim-settings/new`, {
        method: 'POST',
        headers: { Cookie: `scim_console=${admin.sessionCookie}`, Origin: system.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect([i, page.url.includes('/token?key='), shownToken({ body: await page.text() })]).toEqual([i, true, expect.stringMatching(/^scim_[0-9a-f]{12}_/)]);
    }
  });

  it('rotates once per confirmation: reloading the new token’s page rotates nothing and shows nothing', async () => {
    const { id, token } = await createSetting('Rotated');
    const csrf = await admin.formToken(`/admin/x/scim-settings/${id}/rotate`);
    const rotated = await admin.post(`/admin/x/scim-settings/${id}/rotate`, { _csrf: csrf });
    expect(rotated.status).toBe(303);
    const page = await admin.get(rotated.headers.get('location')!);
    const newToken = shownToken(page)!;
    expect(newToken).toMatch(/^scim_[0-9a-f]{12}_/);
    expect(newToken).not.toBe(token);
    const hash = (await system.models.ScimSetting.findById(id).lean())!.token!.hash;
    expect(hash).toBe(hashToken(newToken));

    const reloaded = await admin.get(rotated.headers.get('location')!);
    expect(reloaded.body).toContain('was shown once');
    expect(shownToken(reloaded)).toBeUndefined();
    expect((await system.models.ScimSetting.findById(id).lean())!.token!.hash).toBe(hash);
    expect((await fetch(`${system.baseUrl}/scim/v2/Users`, { headers: { Authorization: `Bearer ${newToken}` } })).status).toBe(200);
    // A token page without its key shows nothing either.
    expect(shownToken(await admin.get(`/admin/x/scim-settings/${id}/token`))).toBeUndefined();
  });

  it('disables and enables a setting: its token is refused while disabled', async () => {
    const { token, id } = await createSetting('JumpCloud');
    const csrf = await admin.formToken(`/admin/x/scim-settings/${id}/enabled`);
    expect((await admin.post(`/admin/x/scim-settings/${id}/enabled`, { _csrf: csrf, enabled: 'false' })).status).toBe(303);
    expect((await fetch(`${system.baseUrl}/scim/v2/Users`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await admin.post(`/admin/x/scim-settings/${id}/enabled`, { _csrf: csrf, enabled: 'true' })).status).toBe(303);
    expect((await fetch(`${system.baseUrl}/scim/v2/Users`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('bumps the rules version and queues a re-sync when mappings or grouping change, not on a rename', async () => {
    const { id } = await createSetting('Entra ID', { scimPath: 'title', customFieldId: officeId });
    const edit = async (fields: Record<string, string | string[]>) =>
      admin.post(`/admin/x/scim-settings/${id}/edit`, { ...(await form(fields)), _csrf: await admin.formToken(`/admin/x/scim-settings/${id}/edit`) });
    const rulesVersion = async () => (await system.models.ScimSetting.findById(id).lean())?.rulesVersion;

    const renamed = await edit({ name: 'Entra ID (prod)', scimPath: 'title', customFieldId: officeId });
    expect(renamed.status).toBe(303);
    expect(await rulesVersion()).toBe(1);

    const remapped = await edit({ name: 'Entra ID (prod)', scimPath: ['title', 'addresses[type eq "work"].locality'], customFieldId: [officeId, costCenterId] });
    expect(remapped.status).toBe(303);
    // The setting's re-sync page in the console; that page shows the console's re-sync page with the same query.
    expect(remapped.headers.get('location')).toBe(`/admin/resources/ScimSetting/records/${id}/resync`);
    expect(await rulesVersion()).toBe(2);

    const regrouped = await edit({ name: 'Entra ID (prod)', scimPath: ['title', 'addresses[type eq "work"].locality'], customFieldId: [officeId, costCenterId], groupingCriteria: 'department' });
    expect(regrouped.status).toBe(303);
    expect(await rulesVersion()).toBe(3);

    const companyId = (await system.models.ScimSetting.findById(id).lean())!.companyId.toHexString();
    await system.withQueues(async ({ maintenance }) => {
      for (const version of [2, 3]) {
        const job = await maintenance.getJob(resyncJobId(id, version));
        expect(job?.name).toBe('resync-setting');
        // requestId: the console request that saved the rules, carried to the re-sync's sync activity.
        expect(job?.data).toEqual({ companyId, scimSettingId: id, rulesVersion: version, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      }
    });
    // No worker runs here: the re-sync of version 3 waits in the queue, and the page says so.
    const progress = await admin.get(`/admin/x/scim-settings/${id}/resync`);
    expect(progress.body).toContain('data-resync="requested"');
    expect(progress.body).toContain('(job: waiting)');
    expect(progress.body).toContain('data-refresh-seconds="3"');
  });

  it('re-syncs on request, answering with the re-sync page, and shows the request on the setting’s page', async () => {
    const { id } = await createSetting('OneLogin');
    const firstRules = await admin.get(`/admin/x/scim-settings/${id}/resync`);
    expect(firstRules.body).toContain('data-resync="none"');
    expect(firstRules.body).not.toContain('data-refresh-seconds');

    const csrf = await admin.formToken(`/admin/x/scim-settings/${id}/resync`);
    const started = await admin.post(`/admin/x/scim-settings/${id}/resync`, { _csrf: csrf });
    expect(started.status).toBe(303);
    // No notice in the address: the page tells from the store and the queue, on every visit alike.
    expect(started.headers.get('location')).toBe(`/admin/x/scim-settings/${id}/resync`);
    expect((await system.models.ScimSetting.findById(id).lean())?.rulesVersion).toBe(2);
    const page = await admin.get(`/admin/x/scim-settings/${id}/resync`);
    expect(page.body).toContain('Rules version <strong>2</strong>');
    expect(page.body).toContain('data-resync="requested"');
    const overview = await admin.get(`/admin/x/scim-settings/${id}`);
    expect(overview.body).toMatch(/<span id="resync-summary" data-resync="requested">Requested <time[^>]*>[^<]+<\/time>, waiting for the worker<\/span>/);
  });

  it('stores take-over and field precedence on create and edit, previews their effect on target users, re-syncs when either changes, and shows them on the setting’s page', async () => {
    // As a browser posts them: the hidden "false", then the ticked box's "true".
    const ticked = ['false', 'true'];
    const invalid = await admin.post('/admin/x/scim-settings/new', await form({ name: 'Okta staff', takeOverExisting: ticked, precedence: '1001' }));
    expect(invalid.status).toBe(422);
    expect(invalid.body).toContain('Field precedence is a whole number from 0 to 1000.');
    expect(invalid.body).toContain('name="precedence" value="1001"');
    expect(await system.models.ScimSetting.countDocuments({ name: 'Okta staff' })).toBe(0);

    const { id, token } = await createSetting('Okta staff', { takeOverExisting: 'false', precedence: '5' });
    const stored = async () => {
      const setting = (await system.models.ScimSetting.findById(id).lean())!;
      return { takeOverExisting: setting.takeOverExisting, precedence: setting.precedence, rulesVersion: setting.rulesVersion };
    };
    expect(await stored()).toEqual({ takeOverExisting: false, precedence: 5, rulesVersion: 1 });
    const page = await admin.get(`/admin/x/scim-settings/${id}`);
    expect(page.body).toContain('<dd id="take-over">Left as they are; the SCIM user is reported as a conflict</dd>');
    expect(page.body).toMatch(/<dd id="precedence">5<br>/);

    // The form shows what is stored, and the company's other settings in their order, without this one.
    const editPage = await admin.get(`/admin/x/scim-settings/${id}/edit`);
    expect(editPage.body).toContain('<input type="checkbox" id="takeOverExisting" name="takeOverExisting" value="true">');
    expect(editPage.body).toContain('name="precedence" value="5"');
    const order = /<p class="hint" id="precedence-order">([^]*?)<\/p>/.exec(editPage.body)?.[1] ?? '';
    expect(order).toContain('Okta <strong>1</strong>');
    expect(order).not.toContain('Okta staff');

    const edit = async (fields: Record<string, string | string[]>) =>
      admin.post(`/admin/x/scim-settings/${id}/edit`, { ...(await form({ name: 'Okta staff', ...fields })), _csrf: await admin.formToken(`/admin/x/scim-settings/${id}/edit`) });
    // Preview changes plans take-over and precedence as posted, over what is stored (no worker here, so
    // nothing of Okta staff is projected yet): Pat was added in the console, Sam is a target user the
    // Okta setting sends, and Okta staff sends both.
    const companyId = (await system.models.ScimSetting.findById(id).lean())!.companyId;
    const okta = (await system.models.ScimSetting.findOne({ name: 'Okta' }).lean())!._id.toHexString();
    expect((await admin.post('/admin/api/resources/TargetUser/actions/new', { email: 'pat@acme.example', firstName: 'Typed' })).status).toBe(200);
    const sam = { userName: 'sam@acme.example', externalId: null, email: 'sam@acme.example', firstName: 'Sam', lastName: null, department: null, phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: 'active' as const, groupIds: [] };
    const samSource = { scimSettingId: okta, scimUserId: 'okta-sam', emailKey: 'sam@acme.example', view: sam, version: 1, rulesVersion: 1, deprovisionedAt: null, lastSyncedAt: 0, createdAt: 0 };
    const samPerson = { id: 'sam-by-okta', emailKey: 'sam@acme.example', origin: 'scim' as const, shown: sam, manualGroupIds: [], sources: [samSource], fieldSource: { scimSettingId: okta, scimUserId: 'okta-sam' }, sync: { version: 1, rulesVersion: 1 }, createdAt: 0 };
    await system.models.TargetUser.collection.insertOne(personDoc(companyId, samPerson, new Date()) as never);
    await createUsers(`${system.baseUrl}/scim`, token, [
      { userName: 'pat@acme.example', first: 'Pat', last: 'Staff' },
      { userName: 'sam@acme.example', first: 'Samuel', last: 'Staff' },
    ]);
    const preview = async (fields: Record<string, string | string[]>) =>
      admin.post(`/admin/x/scim-settings/${id}/preview`, { ...(await form({ name: 'Okta staff', ...fields })), _csrf: await admin.formToken(`/admin/x/scim-settings/${id}/edit`) });
    const figure = (body: string, name: string) => Number(new RegExp(`data-preview="${name}">([\\d,]+)<`).exec(body)?.[1]);
    const asStored = (await preview({ takeOverExisting: 'false', precedence: '5' })).body;
    // As stored: Pat stays console-managed and its SCIM user becomes a conflict; Sam shows Okta's fields (Okta comes first).
    expect([figure(asStored, 'took-over'), figure(asStored, 'conflicts-appear')]).toEqual([0, 1]);
    expect(asStored).toContain('data-conflict="appears" data-email="pat@acme.example"');
    expect(asStored).not.toContain('id="preview-managed-by"');
    const changed = await preview({ takeOverExisting: ticked, precedence: '0' });
    expect(changed.status).toBe(200);
    expect(changed.body).toContain('name="precedence" value="0"');
    // Taking over: Pat is taken over, no conflict. Ahead of Okta: Sam shows this setting's fields.
    expect([figure(changed.body, 'took-over'), figure(changed.body, 'conflicts-appear')]).toEqual([1, 0]);
    expect(changed.body).toContain('data-take-over="pat@acme.example"');
    expect(changed.body).toContain('data-from="Okta" data-to="Okta staff" data-users="1"');
    expect(changed.body).toContain('data-from="Console" data-to="Okta staff" data-users="1"');
    expect(changed.body).not.toContain('preview-left-out');
    expect(await stored()).toEqual({ takeOverExisting: false, precedence: 5, rulesVersion: 1 });
    expect(await system.models.TargetUser.countDocuments({ companyId, sourceSettingIds: new Types.ObjectId(id) })).toBe(0);

    const unchanged = await edit({ takeOverExisting: 'false', precedence: '5' });
    expect(unchanged.headers.get('location')).toBe(`/admin/resources/ScimSetting/records/${id}/show`);
    expect(await stored()).toEqual({ takeOverExisting: false, precedence: 5, rulesVersion: 1 });

    const takingOver = await edit({ takeOverExisting: ticked, precedence: '5' });
    expect(takingOver.headers.get('location')).toBe(`/admin/resources/ScimSetting/records/${id}/resync`);
    expect(await stored()).toEqual({ takeOverExisting: true, precedence: 5, rulesVersion: 2 });

    const reordered = await edit({ takeOverExisting: ticked, precedence: '0' });
    expect(reordered.headers.get('location')).toBe(`/admin/resources/ScimSetting/records/${id}/resync`);
    expect(await stored()).toEqual({ takeOverExisting: true, precedence: 0, rulesVersion: 3 });
    await system.withQueues(async ({ maintenance }) => {
      for (const version of [2, 3]) expect((await maintenance.getJob(resyncJobId(id, version)))?.name).toBe('resync-setting');
    });
    expect((await admin.get(`/admin/x/scim-settings/${id}`)).body).toContain('<dd id="take-over">Taken over</dd>');
  });
});
