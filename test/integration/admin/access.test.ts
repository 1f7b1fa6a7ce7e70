import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { ConsoleClient } from './support/console-client';
import { ConsoleProcesses } from './support/console-processes';

const PLATFORM = { email: 'ops@platform.example', password: 'platform admin password' };
const COMPANY = { email: 'it@acme.example', password: 'company admin password' };

/** Sessions, sign-in redirects, sign-out, CSRF and the queue dashboard, against the real web process (sign-in answers: sign-in.test.ts). */
describe('admin console access', () => {
  let system: ConsoleProcesses;
  const client = () => new ConsoleClient(system.baseUrl);

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_access');
    const company = await system.models.Company.create({ name: 'Acme Ltd' });
    await saveAdmin(system.models, { ...PLATFORM, role: 'platformAdmin', companyId: null });
    await saveAdmin(system.models, { ...COMPANY, role: 'companyAdmin', companyId: company._id });
  }, 90_000);

  afterAll(async () => {
    await system?.stop();
  });

  async function signedIn(who = COMPANY): Promise<ConsoleClient> {
    const c = client();
    const response = await c.login(who.email, who.password);
    expect(response.status).toBe(303);
    return c;
  }

  describe('login', () => {
    it('sends signed-out visitors to the login page and refuses the API', async () => {
      const c = client();
      const page = await c.get('/admin/resources/ScimSetting?filters.name=Okta');
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fresources%2FScimSetting%3Ffilters.name%3DOkta');
      const api = await c.get('/admin/api/resources/ScimSetting/actions/list');
      expect(api.status).toBe(401);
    });

    it('returns to the page asked for after signing in, and never to another site', async () => {
      const c = client();
      const login = await c.get('/admin/login?next=%2Fadmin%2Fresources%2FTargetUser');
      expect(login.body).toContain('action="/admin/login?next=%2Fadmin%2Fresources%2FTargetUser"');
      const response = await c.post('/admin/login?next=%2Fadmin%2Fresources%2FTargetUser', { email: COMPANY.email, password: COMPANY.password });
      expect(response.headers.get('location')).toBe('/admin/resources/TargetUser');
      for (const next of ['https://evil.example/admin', '//evil.example/admin', '/admin/\\evil.example']) {
        const other = client();
        const answer = await other.post(`/admin/login?next=${encodeURIComponent(next)}`, { email: COMPANY.email, password: COMPANY.password });
        expect([next, answer.headers.get('location')]).toEqual([next, '/admin']);
      }
    });

    it('keeps no session for visitors who are not signed in', async () => {
      const sessions = system.database.connection.db!.collection('admin_sessions');
      const before = await sessions.countDocuments();
      const c = client();
      const answers = [
        await c.get('/admin'),
        await c.get('/admin/resources/ScimSetting'),
        await c.get('/admin/login?next=%2Fadmin%2Fresources%2FScimSetting'),
        await c.get('/admin/api/resources/ScimSetting/actions/list'),
        await c.get('/admin/x/setup-help'),
        await c.get('/admin/logout'),
        await c.login(COMPANY.email, 'not the password'),
        await c.login('nobody@acme.example', 'not the password'),
        await c.request('POST', '/admin/logout'),
      ];
      expect(answers.flatMap((a) => a.headers.getSetCookie()).filter((cookie) => cookie.startsWith('scim_console=') && !/Expires=Thu, 01 Jan 1970/i.test(cookie))).toEqual([]);
      expect(await sessions.countDocuments()).toBe(before);
    });

    it('signs in with a fresh, httpOnly, SameSite=Lax session cookie', async () => {
      const c = await signedIn();
      const before = c.sessionCookie;
      const response = await c.login(COMPANY.email, COMPANY.password);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/admin');
      const cookie = response.headers.getSetCookie().find((h) => h.startsWith('scim_console='));
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\/admin/i);
      expect(c.sessionCookie).not.toBe(before);
      expect((await c.get('/admin/resources/ScimSetting')).status).toBe(200);
    });

    it('signs out on POST only: a link asks, the button signs out, and the old cookie no longer works', async () => {
      const c = await signedIn();
      const cookie = c.sessionCookie!;
      const asked = await c.get('/admin/logout');
      expect(asked.status).toBe(200);
      expect(asked.body).toContain('<form method="post" action="/admin/logout"');
      expect((await c.get('/admin/resources/ScimSetting')).status).toBe(200);
      const out = await c.request('POST', '/admin/logout');
      expect(out.status).toBe(303);
      const replay = client();
      replay.setSessionCookie(cookie);
      expect((await replay.get('/admin/resources/ScimSetting')).status).toBe(302);
    });

    it('treats an expired session as signed out', async () => {
      const c = await signedIn();
      const sessions = system.database.connection.db!.collection('admin_sessions');
      await sessions.updateMany({}, { $set: { expires: new Date(Date.now() - 1000) } });
      const page = await c.get('/admin/resources/ScimSetting');
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fresources%2FScimSetting');
    });
  });

  describe('forged requests', () => {
    it('refuses a cross-site post with the session cookie, and changes nothing', async () => {
      const c = await signedIn();
      const forged = await c.post('/admin/api/resources/CustomField/actions/new', { name: 'Forged' }, 'https://evil.example');
      expect(forged.status).toBe(403);
      const noOrigin = await c.post('/admin/api/resources/CustomField/actions/new', { name: 'Forged' }, null);
      expect(noOrigin.status).toBe(403);
      expect(await system.models.CustomField.countDocuments({ name: 'Forged' })).toBe(0);
    });

    it('refuses a console form posted without its form token', async () => {
      const c = await signedIn();
      const response = await c.post('/admin/x/scim-settings/new', { name: 'No token', groupingCriteria: 'none', deletePolicy: 'markDeleted' });
      expect(response.status).toBe(403);
      expect(await system.models.ScimSetting.countDocuments({ name: 'No token' })).toBe(0);
    });

    it('refuses a login posted from another site', async () => {
      const response = await client().post('/admin/login', { email: COMPANY.email, password: COMPANY.password }, 'https://evil.example');
      expect(response.status).toBe(403);
    });
  });

  describe('queues', () => {
    it('shows the dashboard to platform admins only', async () => {
      expect((await client().get('/admin/queues')).status).toBe(302);
      expect((await (await signedIn(COMPANY)).get('/admin/queues')).status).toBe(403);
      expect((await (await signedIn(COMPANY)).get('/admin/queues/api/queues')).status).toBe(403);
      const platform = await signedIn(PLATFORM);
      expect((await platform.get('/admin/queues')).status).toBe(200);
      const queues = (await platform.get('/admin/queues/api/queues')).json<{ queues: Array<{ name: string }> }>();
      expect(queues.queues.map((q) => q.name).sort()).toEqual(['maintenance', 'projection']);
    });
  });
});
