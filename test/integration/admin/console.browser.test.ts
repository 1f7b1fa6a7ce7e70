import type { Page } from 'playwright-core';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { openBrowser, screenshot } from './support/browser';
import { ConsoleProcesses } from './support/console-processes';

const ADMIN = { email: 'it@acme.example', password: 'acme console password' };
const PLATFORM_ADMIN = { email: 'ops@platform.example', password: 'platform console password' };
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** An Entra ID style create (idp-notes: core + enterprise schemas, work address). */
const entraUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: 'ada',
  userName: 'ada.lovelace@acme.example',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
  emails: [{ primary: true, type: 'work', value: 'ada.lovelace@acme.example' }],
  addresses: [{ type: 'work', locality: 'Berlin' }],
  [ENTERPRISE]: { department: 'Engineering' },
  meta: { resourceType: 'User' },
  roles: [],
};

const scim = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' });

/** Reloads until `text` shows: the worker projects asynchronously. */
async function reloadUntilVisible(page: Page, text: string, system: ConsoleProcesses, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    system.assertRunning();
    if (await page.getByText(text, { exact: true }).first().isVisible().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear on ${page.url()}\n${system.output()}`);
    await page.waitForTimeout(1000);
    await page.reload();
    await page.waitForLoadState('networkidle');
  }
}

describe('admin console in a real browser', () => {
  let system: ConsoleProcesses;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_browser', { worker: true });
    const company = await system.models.Company.create({ name: 'Acme Ltd' });
    await saveAdmin(system.models, { ...ADMIN, role: 'companyAdmin', companyId: company._id });
    await saveAdmin(system.models, { ...PLATFORM_ADMIN, role: 'platformAdmin', companyId: null });
  }, 90_000);

  async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
    await page.goto(`${system.baseUrl}/admin`);
    await page.waitForURL(/\/admin\/login$/);
    await page.fill('input[name=email]', who.email);
    await page.fill('input[name=password]', who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/resources\/ScimSetting/);
  }

  /** Every page the test opened ran under the console's Content-Security-Policy and asked only the console. */
  function expectOnlyOwnOrigin(browser: Awaited<ReturnType<typeof openBrowser>>): void {
    const origin = new URL(system.baseUrl).origin;
    expect(browser.requests.length).toBeGreaterThan(10);
    expect(browser.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  }

  afterAll(async () => {
    await system?.stop();
  });

  it('sets up a SCIM setting, receives a user over SCIM, shows it grouped, and rotates the token', async () => {
    const browser = await openBrowser(system.baseUrl);
    const { page } = browser;
    try {
      // Sign in (the console sends a signed-out visitor to the login page).
      await page.goto(`${system.baseUrl}/admin`);
      await page.waitForURL(/\/admin\/login$/);
      await screenshot(page, '01-login');
      await signIn(page, ADMIN);

      // Target Users > Edit Fields: a custom field.
      await page.goto(`${system.baseUrl}/admin/resources/CustomField/actions/new`);
      await page.fill('[name="name"]', 'Office');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/admin\/resources\/CustomField(\?|$)/);
      await page.getByText('office', { exact: true }).waitFor();
      await screenshot(page, '02-custom-field');

      // SCIM Settings > + NEW: AdminJS's button leads to the console's form.
      await page.goto(`${system.baseUrl}/admin/resources/ScimSetting`);
      await page.getByRole('button', { name: 'Create new' }).or(page.getByRole('link', { name: 'Create new' })).first().click();
      await page.waitForURL(/\/admin\/x\/scim-settings\/new/);
      await page.fill('#name', 'Entra ID');
      await page.locator('input[name=scimPath]').first().fill('addresses[type eq "work"].locality');
      await page.locator('select[name=customFieldId]').first().selectOption({ label: 'Office' });
      await page.check('input[name=groupingCriteria][value=department]');
      await screenshot(page, '03-new-scim-setting');

      // A malformed path is refused on the form, with what was typed kept.
      await page.locator('input[name=scimPath]').first().fill('addresses[type eq "work".locality');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Nothing was saved').waitFor();
      await screenshot(page, '04-invalid-mapping');
      await page.locator('input[name=scimPath]').first().fill('addresses[type eq "work"].locality');
      await page.getByRole('button', { name: 'Save' }).click();

      // Save shows the token once, with the Tenant URL.
      const token = await page.locator('#secret-token').inputValue();
      const tenantUrl = await page.locator('#tenant-url').inputValue();
      expect(token).toMatch(/^scim_[0-9a-f]{12}_/);
      expect(tenantUrl).toBe(`${system.baseUrl}/scim/v2`);
      const settingUrl = await page.getByRole('link', { name: 'Done' }).getAttribute('href');
      await screenshot(page, '05-token-shown-once');

      // Reloading the token's page (POST → redirect → GET) saves nothing again and shows no token.
      await page.reload();
      await page.getByText('was shown once').waitFor();
      expect(await page.locator('#secret-token').count()).toBe(0);
      expect(await system.models.ScimSetting.countDocuments()).toBe(1);
      await screenshot(page, '05b-token-page-reloaded');

      // The IdP creates a user with that token.
      const created = await fetch(`${tenantUrl}/Users`, { method: 'POST', headers: scim(token), body: JSON.stringify(entraUser) });
      expect(created.status).toBe(201);

      // The user appears under its department's target group, with the custom field filled.
      await page.goto(`${system.baseUrl}/admin/resources/TargetGroup`);
      await reloadUntilVisible(page, 'Engineering', system);
      await screenshot(page, '06-target-groups');
      await page.getByText('Engineering', { exact: true }).first().click();
      await page.waitForURL(/\/admin\/resources\/TargetGroup\/records\/[0-9a-f]{24}\/show/);
      await page.getByRole('button', { name: 'Members' }).or(page.getByRole('link', { name: 'Members' })).first().click();
      await page.waitForURL(/\/admin\/resources\/TargetUser\?.*filters\.groupIds=/);
      await page.getByText('ada.lovelace@acme.example').waitFor();
      await page.getByText('Office: Berlin').waitFor();
      await screenshot(page, '07-group-members');

      await page.goto(`${system.baseUrl}/admin/resources/ScimSetting`);
      await page.getByText('Entra ID').waitFor();
      await screenshot(page, '08-scim-settings-list');

      // Rotate the token: the new one is shown once, the old one is refused at once.
      await page.goto(`${system.baseUrl}${settingUrl}`);
      await page.getByText('Grouping criteria').waitFor();
      await screenshot(page, '09-scim-setting');
      await page.getByRole('button', { name: 'Rotate token' }).or(page.getByRole('link', { name: 'Rotate token' })).first().click();
      await page.waitForURL(/\/admin\/x\/scim-settings\/[0-9a-f]{24}\/rotate/);
      await screenshot(page, '10-rotate-confirm');
      await page.getByRole('button', { name: 'Rotate token' }).click();
      const rotated = await page.locator('#secret-token').inputValue();
      expect(rotated).not.toBe(token);
      await page.reload();
      await page.getByText('was shown once').waitFor();
      const oldToken = await fetch(`${tenantUrl}/Users`, { headers: scim(token) });
      expect(oldToken.status).toBe(401);
      const newToken = await fetch(`${tenantUrl}/Users`, { headers: scim(rotated) });
      expect(newToken.status).toBe(200);

      // The remaining main pages, for the artifacts.
      await page.goto(`${system.baseUrl}/admin/resources/SyncActivity`);
      await page.getByText('Time').first().waitFor();
      await screenshot(page, '11-sync-activity');
      await page.goto(`${system.baseUrl}/admin/x/setup-help`);
      await screenshot(page, '12-setup-help');
      await page.goto(`${system.baseUrl}${settingUrl?.replace(/^\/admin\/resources\/ScimSetting\/records\//, '/admin/x/scim-settings/').replace(/\/show$/, '/resync')}`);
      await screenshot(page, '13-resync');

      expectOnlyOwnOrigin(browser);
    } catch (error) {
      await screenshot(page, 'failure').catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('shows platform admins the companies, the console admins and the queues, all from the console itself', async () => {
    const browser = await openBrowser(system.baseUrl);
    const { page } = browser;
    try {
      await signIn(page, PLATFORM_ADMIN);
      await page.goto(`${system.baseUrl}/admin/resources/Company`);
      await page.getByText('Acme Ltd').waitFor();
      await page.goto(`${system.baseUrl}/admin/resources/AdminUser`);
      await page.getByText(ADMIN.email).waitFor();
      await page.goto(`${system.baseUrl}/admin/queues`);
      await page.getByText('projection').first().waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, '14-queues');
      expectOnlyOwnOrigin(browser);
    } catch (error) {
      await screenshot(page, 'failure-platform').catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
    }
  }, 120_000);
});
