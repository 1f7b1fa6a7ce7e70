import type { Types } from 'mongoose';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeTargetGroup } from '../../factories';
import { openBrowser, screenshot, type ConsoleBrowser } from './support/browser';
import { ConsoleProcesses } from './support/console-processes';
import { action, browserStep, column, COMPANY_ADMIN, content, createUsers, heading, PLATFORM_ADMIN, reloadUntilListed, scimHeaders, signIn, tableFit } from './support/console-flows';

/**
 * A platform admin in a real browser: every company's records with their company, the platform
 * pages and the queues in the same navigation, a SCIM setting made for a company it picks, and
 * a group mirrored from the IdP next to a manual group of the same name.
 */
describe('admin console in a real browser: platform admins', () => {
  let system: ConsoleProcesses;
  let browser: ConsoleBrowser;
  let companyId: Types.ObjectId;
  let token = '';
  const step = browserStep(() => browser);
  const on = (path: string) => `${system.baseUrl}${path}`;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_platform', { worker: true });
    companyId = (await system.models.Company.create({ name: 'Acme Ltd' }))._id;
    await system.models.Company.create({ name: 'Globex' });
    await saveAdmin(system.models, { ...COMPANY_ADMIN, role: 'companyAdmin', companyId });
    await saveAdmin(system.models, { ...PLATFORM_ADMIN, role: 'platformAdmin', companyId: null });
    await makeTargetGroup(system.models, companyId, 'Sales');
    browser = await openBrowser(system.baseUrl);
    await signIn(browser.page, system.baseUrl, PLATFORM_ADMIN);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  step('shows companies and console admins, and the queues from the same navigation', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/Company'));
    expect((await column(page, 'name')).sort()).toEqual(['Acme Ltd', 'Globex']);
    await page.goto(on('/admin/resources/AdminUser'));
    expect((await column(page, 'email')).sort()).toEqual([COMPANY_ADMIN.email, PLATFORM_ADMIN.email]);
    await screenshot(page, '30-console-admins');
    await page.goto(on('/admin/pages/queues'));
    await expect(heading(page).textContent()).resolves.toBe('Queues');
    await action(page, 'Open the queue dashboard').click();
    await page.waitForURL(/\/admin\/queues/);
    await page.getByText('projection').first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, '31-queues');
  }, 60_000);

  step('creates a SCIM setting for the company it picks, synchronising groups with the IdP', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/ScimSetting'));
    await action(page, 'New SCIM setting').click();
    await content(page).getByText('Which company is the SCIM setting for?').waitFor();
    await screenshot(page, '32-company-picker');
    await content(page).getByRole('link', { name: 'Acme Ltd' }).click();
    await page.waitForURL(/\/actions\/new\?companyId=[0-9a-f]{24}$/);
    await content(page).getByText('Company: Acme Ltd').waitFor();
    await page.fill('#name', 'Okta');
    await action(page, 'Next').click();
    await page.check('input[name=groupingCriteria][value=idpGroups]');
    await page.getByRole('button', { name: 'Save' }).click();
    token = await page.locator('#secret-token').inputValue();
    const saved = await system.models.ScimSetting.findOne({ name: 'Okta' }).lean();
    expect([saved?.companyId.toHexString(), saved?.groupingCriteria]).toEqual([companyId.toHexString(), 'idpGroups']);
  }, 60_000);

  step('shows a group mirrored from the IdP apart from the manual group of the same name', async () => {
    const { page } = browser;
    const ids = await createUsers(`${system.baseUrl}/scim`, token, [{ userName: 'ana.ng@acme.example', first: 'Ana', last: 'Ng' }]);
    const group = await fetch(`${system.baseUrl}/scim/Groups`, {
      method: 'POST',
      headers: scimHeaders(token),
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales', members: [{ value: ids['ana.ng@acme.example'] }] }),
    });
    expect(group.status).toBe(201);

    await page.goto(on('/admin/resources/TargetGroup'));
    await reloadUntilListed(page, 'displayName', ['Sales', 'Sales (Okta)'], system);
    expect((await column(page, 'sourceLabel')).sort()).toEqual(['Manual', 'Mirrored from Okta']);
    // Platform admins see each record's company.
    await expect(content(page).locator('table thead').textContent()).resolves.toContain('Company');
    const fit = await tableFit(page, 'Company');
    expect(fit.columnRight).toBeLessThanOrEqual(fit.windowWidth);
    await screenshot(page, '33-target-groups-mirrored');

    await page.goto(on('/admin/resources/TargetUser'));
    await reloadUntilListed(page, 'groupNames', ['Sales (Okta)'], system);
    await content(page).locator('[data-css="TargetUser-filter-button"]').click();
    await content(page).locator('[data-css="TargetUser-filter-companyId"]').waitFor();
    await screenshot(page, '34-target-users-platform');
  }, 90_000);

  step('asked only the console on every page, and the Content-Security-Policy refused nothing', async () => {
    const origin = new URL(system.baseUrl).origin;
    expect(browser.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  }, 10_000);
});
