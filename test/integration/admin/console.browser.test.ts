import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { drawsUnderscores, openBrowser, screenshot, type ConsoleBrowser } from './support/browser';
import { ConsoleProcesses } from './support/console-processes';
import { action, browserStep, COMPANY_ADMIN, content, createUsers, eventually, heading, reloadUntilListed, reloadUntilVisible, scimHeaders, signIn, tableFit } from './support/console-flows';

/**
 * The customer's docs (seeds 000–002) walked in a real browser by a company admin: custom
 * fields from Target Users > Settings > Edit Fields, a SCIM setting made in the docs' two
 * pages, its token shown once with Copy, users arriving from the IdP at the Tenant URL the
 * docs give, People and target groups, the setting's page, disable/enable and rotate.
 */
describe('admin console in a real browser: the docs’ own flow', () => {
  let system: ConsoleProcesses;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_browser', { worker: true });
    const company = await system.models.Company.create({ name: 'Acme Ltd' });
    await saveAdmin(system.models, { ...COMPANY_ADMIN, role: 'companyAdmin', companyId: company._id });
    browser = await openBrowser(system.baseUrl);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.baseUrl });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const on = (path: string) => `${system.baseUrl}${path}`;
  const step = browserStep(() => browser);
  let settingId = '';
  let token = '';

  step('signs in and starts at the SCIM settings', async () => {
    const { page } = browser;
    await page.goto(on('/admin'));
    await page.waitForURL(/\/admin\/login$/);
    await screenshot(page, '01-login');
    await signIn(page, system.baseUrl, COMPANY_ADMIN);
    await page.waitForURL(/\/admin\/resources\/ScimSetting$/);
    await expect(heading(page).textContent()).resolves.toContain('SCIM Settings');
    // The app's own Home link leads to the SCIM settings as well, inside the app.
    await content(page).locator('[data-css$="breadcrumbs"] a[href="/admin"]').click();
    await page.waitForURL(/\/admin\/resources\/ScimSetting$/);
  }, 60_000);

  step('creates a custom field from Target Users > Settings > Edit Fields', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/TargetUser'));
    await expect(heading(page).textContent()).resolves.toContain('Target Users');
    // A menu of actions (AdminJS's `parent`), drawn without a link of its own.
    await content(page).getByText('Settings', { exact: true }).click();
    await action(page, 'Edit Fields').click();
    await page.waitForURL(/\/admin\/resources\/CustomField$/);
    await action(page, 'New custom field').click();
    await expect(heading(page).textContent()).resolves.toBe('New custom field');
    await page.fill('[name="name"]', 'Office');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('office', { exact: true }).waitFor();
    await screenshot(page, '02-custom-fields');
  }, 60_000);

  step('creates a SCIM setting in the docs’ two pages, keeping what was typed on the way back, and shows the token once with Copy', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/ScimSetting'));
    await action(page, 'New SCIM setting').click();
    await page.waitForURL(/\/admin\/resources\/ScimSetting\/actions\/new$/);
    await expect(heading(page).textContent()).resolves.toBe('New SCIM setting');

    // Page 1: Name and Map Fields; the hint leads where the docs say custom fields are made.
    await page.fill('#name', 'Entra ID');
    await page.locator('input[name=scimPath]').first().fill('addresses[type eq "work".locality');
    // Group by offers only the custom fields mapped on page 1, and says so while there is none.
    const groupByChoices = () => page.locator('select[name=groupByCustomFieldId] option').allTextContents();
    await action(page, 'Next').click();
    await expect(groupByChoices()).resolves.toEqual(['Choose a mapped custom field']);
    await expect(page.locator('#group-by-none').isVisible()).resolves.toBe(true);
    await action(page, 'Back').click();
    await page.locator('select[name=customFieldId]').first().selectOption({ label: 'Office' });
    await expect(page.getByRole('link', { name: 'Target Users > Settings > Edit Fields' }).getAttribute('href')).resolves.toBe('/admin/resources/CustomField');
    await screenshot(page, '03-new-setting-page-1');
    await action(page, 'Next').click();

    // Page 2: Group Name, Group By and "Synchronise groups"; Back keeps page 1 as it was.
    await expect(page.locator('#name').isVisible()).resolves.toBe(false);
    await expect(groupByChoices()).resolves.toEqual(['Choose a mapped custom field', 'Office']);
    await expect(page.locator('#group-by-none').isVisible()).resolves.toBe(false);
    await page.check('input[name=groupingCriteria][value=department]');
    await expect(page.getByText('Synchronise groups with the identity provider').isVisible()).resolves.toBe(true);
    // Take-over is ticked for a new setting; unticked, the form still posts it (its hidden "false").
    const takeOver = page.getByLabel('Take over existing target users with the same e-mail');
    await expect(takeOver.isChecked()).resolves.toBe(true);
    await takeOver.uncheck();
    await expect(page.inputValue('#precedence')).resolves.toBe('1');
    await expect(page.locator('#precedence-order').textContent()).resolves.toBe('Acme Ltd has no other SCIM setting.');
    await screenshot(page, '04-new-setting-page-2');
    await action(page, 'Back').click();
    await expect(page.inputValue('#name')).resolves.toBe('Entra ID');
    await expect(page.locator('select[name=customFieldId]').first().inputValue()).resolves.not.toBe('');
    await action(page, 'Next').click();
    await expect(page.locator('input[name=groupingCriteria][value=department]').isChecked()).resolves.toBe(true);
    await expect(takeOver.isChecked()).resolves.toBe(false);

    // A malformed path comes back on page 1 with what was typed; nothing is saved.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Nothing was saved').waitFor();
    await expect(page.locator('#name').isVisible()).resolves.toBe(true);
    await expect(page.locator('input[name=scimPath]').first().inputValue()).resolves.toBe('addresses[type eq "work".locality');
    await screenshot(page, '05-new-setting-invalid');
    expect(await system.models.ScimSetting.countDocuments()).toBe(0);
    await page.locator('input[name=scimPath]').first().fill('addresses[type eq "work"].locality');
    await action(page, 'Next').click();
    await expect(takeOver.isChecked()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Save' }).click();

    // Save shows the token once, with the Tenant URL in the docs' form, each with Copy.
    token = await page.locator('#secret-token').inputValue();
    expect(token).toMatch(/^scim_[0-9a-f]{12}_/);
    await expect(page.locator('#tenant-url').inputValue()).resolves.toBe(`${system.baseUrl}/scim`);
    await page.locator('[data-copy="secret-token"]').click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(token);
    await screenshot(page, '06-token-shown-once');
    expect(await drawsUnderscores(page, '#secret-token')).toBe(true);
    const saved = await system.models.ScimSetting.findOne({ name: 'Entra ID' }).lean();
    expect([saved?.takeOverExisting, saved?.precedence]).toEqual([false, 1]);
    settingId = String(saved?._id);

    // Reloading shows the form the page started with: no second setting, no token.
    await page.reload();
    await page.locator('#name').waitFor();
    expect(await page.locator('#secret-token').count()).toBe(0);
    expect(await system.models.ScimSetting.countDocuments()).toBe(1);
  }, 90_000);

  step('receives users at the docs’ Tenant URL and shows them grouped, in People, and by name', async () => {
    const { page } = browser;
    await createUsers(`${system.baseUrl}/scim`, token, [
      { userName: 'ada.lovelace@acme.example', first: 'Ada', last: 'Lovelace', department: 'Engineering', city: 'Berlin' },
      { userName: 'grace.hopper@acme.example', first: 'Grace', last: 'Hopper', department: 'Engineering', city: 'London' },
      { userName: 'linus.pauling@acme.example', first: 'Linus', last: 'Pauling', department: 'Sales', city: 'Berlin' },
      { userName: 'ken.thompson@acme.example', first: 'Ken', last: 'Thompson', city: 'London' },
    ]);

    // No Group Name and no department: Ken is under the People tab, the others are not.
    await page.goto(on('/admin/resources/TargetUser'));
    await action(page, 'People').click();
    await page.waitForURL(/\/admin\/resources\/People(\?|$)/);
    await reloadUntilListed(page, 'email', ['ken.thompson@acme.example'], system);
    await screenshot(page, '07-people');

    await page.goto(on('/admin/resources/TargetGroup'));
    await reloadUntilVisible(page, 'Engineering', system);
    await expect(page.getByText('Group by · Entra ID').count()).resolves.toBe(2);
    await screenshot(page, '08-target-groups');

    // A group's page is headed by its name and lists its members, with their count.
    await page.getByText('Engineering', { exact: true }).first().click();
    await page.waitForURL(/\/admin\/resources\/TargetGroup\/records\/[0-9a-f]{24}\/show/);
    await expect(heading(page).textContent()).resolves.toBe('Engineering');
    await page.getByText('Members (2)').waitFor();
    await expect(page.getByTestId('group-members').getByRole('link').allTextContents()).resolves.toEqual(['ada.lovelace@acme.example', 'grace.hopper@acme.example']);
    await screenshot(page, '09-target-group');

    // A user's page is headed by its e-mail and names its groups.
    await page.getByRole('link', { name: 'ada.lovelace@acme.example' }).click();
    await page.waitForURL(/\/admin\/resources\/TargetUser\/records\/[^/]+\/show/);
    await expect(heading(page).textContent()).resolves.toBe('ada.lovelace@acme.example');
    await page.getByText('Office: Berlin').waitFor();
    await content(page).locator('[data-css="TargetUser-show-groupNames"]').getByText('Engineering').waitFor();
    await screenshot(page, '10-target-user');

    // The list fits a 1280 px window with its Status column, and a company admin sees no company column.
    await page.goto(on('/admin/resources/TargetUser'));
    await page.getByText('grace.hopper@acme.example').waitFor();
    const fit = await tableFit(page, 'Status');
    expect(fit.tableRight).toBeLessThanOrEqual(fit.windowWidth);
    expect(fit.columnRight).toBeLessThanOrEqual(fit.windowWidth);
    await expect(content(page).locator('table thead').textContent()).resolves.not.toContain('Company');
    await screenshot(page, '11-target-users');
  }, 120_000);

  step('shows the setting’s page: Tenant URL, token, last request, counts and its activity', async () => {
    const { page } = browser;
    await page.goto(on(`/admin/resources/ScimSetting/records/${settingId}/show`));
    await expect(heading(page).textContent()).resolves.toBe('Entra ID');
    await expect(page.locator('#tenant-url').inputValue()).resolves.toBe(`${system.baseUrl}/scim`);
    await expect(page.locator('#connection').textContent()).resolves.toContain(`scim_${token.split('_')[1]}_…`);
    await expect(page.locator('#last-request').textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await expect(page.locator('[data-figure=users]').textContent()).resolves.toBe('4');
    await expect(page.locator('[data-figure=groups]').textContent()).resolves.toBe('2');
    await expect(page.locator('[data-figure=failures]').textContent()).resolves.toBe('0');
    await expect(page.locator('[data-figure=due]').textContent()).resolves.toBe('0');
    await expect(page.locator('#last-projection').textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await expect(page.locator('#take-over').textContent()).resolves.toBe('Left as they are; the SCIM user is reported as a conflict');
    await screenshot(page, '12-scim-setting');
    await page.locator('#synchronisation').getByRole('link', { name: 'Sync activity' }).click();
    await page.waitForURL(/\/admin\/resources\/SyncActivity\?filters\.scimSettingId=/);
    await page.getByText('Created').first().waitFor();
  }, 60_000);

  step('asks before disabling or enabling, with buttons named by the current state', async () => {
    const { page } = browser;
    const users = () => fetch(`${system.baseUrl}/scim/Users`, { headers: scimHeaders(token) }).then((r) => r.status);
    await page.goto(on(`/admin/resources/ScimSetting/records/${settingId}/show`));
    await expect(action(page, 'Enable').count()).resolves.toBe(0);
    await action(page, 'Disable').click();
    await page.getByText('Entra ID is enabled.').waitFor();
    await screenshot(page, '13-disable-confirm');
    expect(await users()).toBe(200);
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.locator('#connection').getByText('Disabled').waitFor();
    expect(await users()).toBe(401);
    await action(page, 'Enable').click();
    await page.getByText('Entra ID is disabled.').waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.locator('#connection').getByText('Enabled').waitFor();
    expect(await users()).toBe(200);
  }, 60_000);

  step('rotates the token after a confirmation: the new one is shown once, the old one is refused', async () => {
    const { page } = browser;
    await page.goto(on(`/admin/resources/ScimSetting/records/${settingId}/show`));
    await action(page, 'Rotate token').click();
    await page.getByText('stops working at once').waitFor();
    await screenshot(page, '14-rotate-confirm');
    await page.getByRole('button', { name: 'Rotate token' }).click();
    const rotated = await page.locator('#secret-token').inputValue();
    expect(rotated).not.toBe(token);
    await eventually('the old token refused', system, async () => (await fetch(`${system.baseUrl}/scim/Users`, { headers: scimHeaders(token) })).status === 401);
    expect((await fetch(`${system.baseUrl}/scim/Users`, { headers: scimHeaders(rotated) })).status).toBe(200);
    token = rotated;
  }, 60_000);

  step('shows setup help in the same navigation, with this deployment’s Tenant URL', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/ScimSetting'));
    await action(page, 'Setup help').click();
    await page.waitForURL(/\/admin\/pages\/setupHelp(\?|$)/);
    await expect(heading(page).textContent()).resolves.toBe('Set up your identity provider');
    await expect(page.locator('#help-tenant-url').inputValue()).resolves.toBe(`${system.baseUrl}/scim`);
    await screenshot(page, '15-setup-help');
  }, 60_000);

  it('asked only the console on every page, and the Content-Security-Policy refused nothing', () => {
    const origin = new URL(system.baseUrl).origin;
    expect(browser.requests.length).toBeGreaterThan(10);
    expect(browser.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  });
});
