import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { SESSIONS_COLLECTION } from '../../../admin/auth/session';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';
import { consoleResources } from './support/console-state';
import { seedPeople } from './support/people';

const PASSWORD = 'safe methods password';
/** AdminJS's built-in actions, whether or not a resource shows them, and one that exists nowhere. */
const ALWAYS_TRIED = ['list', 'search', 'show', 'new', 'edit', 'delete', 'bulkDelete', 'noSuchAction'];

/**
 * A link or an image on another site makes the browser send a GET (or HEAD) with the admin's
 * cookie: no such request may change anything, whatever action URL it names.
 */
describe('admin console: nothing changes on a GET', () => {
  let system: ConsoleProcesses;
  let records: Record<string, string>;
  let settingId: string;
  let groupId: Types.ObjectId;

  async function signIn(email: string): Promise<ConsoleClient> {
    const client = new ConsoleClient(system.baseUrl);
    expect((await client.login(email, PASSWORD)).status).toBe(303);
    return client;
  }

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_safe_methods');
    const { models } = system;
    const company = await models.Company.create({ name: 'Acme Ltd' });
    await saveAdmin(models, { email: 'it@acme.example', password: PASSWORD, role: 'companyAdmin', companyId: company._id });
    await saveAdmin(models, { email: 'ops@platform.example', password: PASSWORD, role: 'platformAdmin', companyId: null });
    const field = await makeCustomField(models, company._id, 'office', 'Office');
    const setting = await makeScimSetting(models, company._id, { name: 'Entra ID' });
    const group = await makeTargetGroup(models, company._id, 'Contractors');
    const [user, groupless] = await seedPeople(models, company._id, [
      { email: 'ada@acme.example', sources: [{ settingId: setting.id.toHexString(), scimUserId: 'u1', groupIds: [group._id.toHexString()] }] },
      { email: 'bo@acme.example', sources: [{ settingId: setting.id.toHexString(), scimUserId: 'u2' }] },
    ]);
    const activity = await models.SyncActivity.create({ _id: 'activity-1', companyId: company._id, scimSettingId: setting.id, operation: 'create', resourceType: 'User', resourceId: 'u1', outcome: 'applied' });
    const admin = await models.AdminUser.findOne({ email: 'it@acme.example' });
    settingId = setting.id.toHexString();
    groupId = group._id;
    records = {
      ScimSetting: settingId,
      CustomField: field._id.toHexString(),
      TargetUser: user!,
      People: groupless!,
      TargetGroup: group._id.toHexString(),
      SyncActivity: String(activity._id),
      Company: company._id.toHexString(),
      AdminUser: admin!._id.toHexString(),
    };
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  /** Every document of every collection but the sessions (whose expiry a request may extend). */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const db = system.database.connection.db!;
    const names = (await db.listCollections().toArray()).map((c) => c.name).filter((name) => name !== SESSIONS_COLLECTION).sort();
    return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await db.collection(name).find().sort({ _id: 1 }).toArray()])));
  }

  async function actionUrls(client: ConsoleClient): Promise<string[]> {
    const urls = [`/admin/x/scim-settings/new`, `/admin/x/setup-help`, '/admin/logout', '/admin', '/admin/pages/setupHelp', '/admin/pages/queues'];
    for (const action of ['', '/edit', '/preview', '/rotate', '/enabled', '/resync', '/token']) urls.push(`/admin/x/scim-settings/${settingId}${action}`);
    for (const resource of await consoleResources(client)) {
      const id = records[resource.id];
      if (!id) throw new Error(`no record seeded for ${resource.id}`);
      const api = `/admin/api/resources/${resource.id}`;
      urls.push(`/admin/resources/${resource.id}`, `${api}/search/a`);
      for (const name of new Set([...resource.actions.map((a) => a.name), ...ALWAYS_TRIED])) {
        urls.push(`${api}/actions/${name}`, `${api}/actions/${name}/a`, `${api}/records/${id}/${name}`, `${api}/bulk/${name}?recordIds=${id}`);
        const type = resource.actions.find((a) => a.name === name)?.actionType;
        if (type === 'record') urls.push(`/admin/resources/${resource.id}/records/${id}/${name}`);
        if (type === 'resource') urls.push(`/admin/resources/${resource.id}/actions/${name}`);
        if (type === 'bulk') urls.push(`/admin/resources/${resource.id}/bulk/${name}?recordIds=${id}`);
      }
    }
    return urls;
  }

  it.each(['ops@platform.example', 'it@acme.example'])('%s: GET and HEAD of every action URL of every resource change nothing', async (email) => {
    const client = await signIn(email);
    const urls = await actionUrls(client);
    const before = await snapshot();
    const failures: string[] = [];
    for (const url of urls) {
      for (const method of ['GET', 'HEAD']) {
        const { status } = await client.request(method, url, { headers: { Accept: 'application/json' } });
        if (status >= 500) failures.push(`${method} ${url}: ${status}`);
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(failures).toEqual([]);
    // Not even signed out.
    expect((await client.get('/admin/resources/ScimSetting')).status).toBe(200);
  }, 300_000);

  it('runs a delete only on POST: a GET is refused and leaves the group and its members', async () => {
    const client = await signIn('it@acme.example');
    const url = `/admin/api/resources/TargetGroup/records/${groupId.toHexString()}/delete`;
    const refused = await client.get(url, { Accept: 'application/json' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    expect(await system.models.TargetGroup.exists({ _id: groupId })).toBeTruthy();
    expect((await system.models.TargetUser.findOne({ scimUserId: 'u1' }).lean())?.groupIds).toEqual([groupId]);

    // AdminJS's own edit page loads its record with a GET to edit: it gets the record, nothing runs.
    const field = records.CustomField!;
    const editForm = await client.get(`/admin/api/resources/CustomField/records/${field}/edit`, { Accept: 'application/json' });
    expect(editForm.status).toBe(200);
    expect(editForm.json<{ record: { params: { name: string } } }>().record.params.name).toBe('Office');

    const deleted = await client.request('POST', url, { form: {} });
    expect(deleted.status).toBe(200);
    expect(await system.models.TargetGroup.exists({ _id: groupId })).toBeNull();
    // Its members are handed to their setting's projection, their one writer.
    expect(await system.models.ProjectionDue.countDocuments({ resourceId: 'u1', operation: 'group' })).toBe(1);
  });

  it('answers unknown resources and actions with 404, not 500', async () => {
    const client = await signIn('ops@platform.example');
    for (const url of [
      '/admin/api/resources/NoSuchResource/actions/list',
      '/admin/api/resources/CustomField/actions/noSuchAction',
      `/admin/api/resources/CustomField/records/${records.CustomField}/noSuchAction`,
      '/admin/api/resources/CustomField/actions/delete',
      `/admin/api/resources/CustomField/records/${records.CustomField}/list`,
      '/admin/api/resources/CustomField/records/not-an-id/show',
      '/admin/api/dashboard',
    ]) {
      expect([url, (await client.get(url, { Accept: 'application/json' })).status]).toEqual([url, 404]);
    }
    for (const url of ['/admin/resources/NoSuchResource', '/admin/resources/CustomField/actions/noSuchAction', '/admin/pages/anything']) {
      expect([url, (await client.get(url)).status]).toEqual([url, 404]);
    }
  });
});
