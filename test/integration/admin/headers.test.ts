import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeScimSetting } from '../../factories';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';

const PLATFORM = { email: 'ops@platform.example', password: 'headers test password' };

/** What every console answer tells the browser: where scripts may come from, and what it may keep. */
describe('admin console response headers', () => {
  let system: ConsoleProcesses;
  let admin: ConsoleClient;
  let settingId: string;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_headers');
    const company = await system.models.Company.create({ name: 'Acme Ltd' });
    settingId = (await makeScimSetting(system.models, company._id, { name: 'Okta' })).id.toHexString();
    await saveAdmin(system.models, { ...PLATFORM, role: 'platformAdmin', companyId: null });
    admin = new ConsoleClient(system.baseUrl);
    expect((await admin.login(PLATFORM.email, PLATFORM.password)).status).toBe(303);
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  const directives = (header: string | null) =>
    Object.fromEntries((header ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

  it('puts every console page under a policy that runs scripts from the console only', async () => {
    const pages = ['/admin/login', '/admin/resources/ScimSetting', `/admin/resources/ScimSetting/records/${settingId}/show`, `/admin/x/scim-settings/${settingId}/rotate`, '/admin/x/setup-help', '/admin/queues', '/admin/logout'];
    for (const path of pages) {
      const client = path === '/admin/login' ? new ConsoleClient(system.baseUrl) : admin;
      const page = await client.get(path);
      expect([path, page.status]).toEqual([path, 200]);
      const csp = directives(page.headers.get('content-security-policy'));
      expect([path, csp['script-src']]).toEqual([path, ["'self'"]]);
      expect([path, csp['default-src'], csp['font-src'], csp['connect-src'], csp['frame-ancestors']]).toEqual([path, ["'self'"], ["'self'"], ["'self'"], ["'none'"]]);
      // No inline script: every script element loads a file or holds JSON data; and no file from another host.
      const scripts = [...page.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      expect([path, scripts.filter((attributes) => !/\bsrc="/.test(attributes) && !/type="application\/json"/.test(attributes))]).toEqual([path, []]);
      expect([path, page.body.match(/(?:src|href)="(?:[a-z]+:)?\/\/[^"]*"/g) ?? []]).toEqual([path, []]);
    }
  });

  it('marks every console API answer no-store, errors included', async () => {
    for (const path of [
      '/admin/api/resources/ScimSetting/actions/list',
      `/admin/api/resources/ScimSetting/records/${settingId}/show`,
      '/admin/api/resources/ScimSetting/actions/noSuchAction',
      `/admin/api/resources/CustomField/actions/new`,
      '/admin/queues/api/queues',
    ]) {
      const response = await admin.get(path, { Accept: 'application/json' });
      expect([path, response.headers.get('content-type')?.split(';')[0], response.headers.get('cache-control')]).toEqual([path, 'application/json', 'no-store']);
    }
  });
});
