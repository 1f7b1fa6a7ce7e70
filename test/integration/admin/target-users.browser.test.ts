import { readFile } from 'node:fs/promises';
import type { Types } from 'mongoose';
import type { Page } from 'playwright-core';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import { openBrowser, screenshot, type ConsoleBrowser } from './support/browser';
import { ConsoleProcesses } from './support/console-processes';
import { action, browserStep, column, COMPANY_ADMIN, content, heading, listAfter, signIn, tableFit } from './support/console-flows';
import { seedPeople } from './support/people';

/** A list's row, by its e-mail: shown once the list has loaded. */
const listedRow = (page: Page, email: string) => content(page).locator('td[data-css$="-email-table-cell"]', { hasText: email });

/** Opens the list's filters and picks a source once the filter has loaded the settings' names. */
async function chooseSource(page: Page, name: string): Promise<void> {
  await content(page).locator('[data-css="TargetUser-filter-button"]').click();
  await page.fill('#filter-source', name);
  await content(page).locator('[data-css="TargetUser-filter-drawer"]').getByText(name, { exact: true }).click();
}

/**
 * Target users as people (issue 15), in a real browser: the Sources column and filter, adding a
 * person by hand, editing a SCIM-managed one (its manual groups only), a person's sources and
 * manager on its page, exporting the filtered list (the customer's scenarios 1, 11 and 13), and
 * excluding a person from SCIM management, editing it, and managing it by SCIM again (item 5).
 */
describe('admin console in a real browser: target users as people', () => {
  let system: ConsoleProcesses;
  let browser: ConsoleBrowser;
  let companyId: Types.ObjectId;
  let bob = '';
  const step = browserStep(() => browser);
  const on = (path: string) => `${system.baseUrl}${path}`;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_people_browser');
    const { models } = system;
    companyId = (await models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(models, { ...COMPANY_ADMIN, role: 'companyAdmin', companyId });
    await makeCustomField(models, companyId, 'office', 'Office');
    await makeTargetGroup(models, companyId, 'Finance');
    const entra = (await makeScimSetting(models, companyId, { name: 'Entra ID' })).id.toHexString();
    const okta = (await makeScimSetting(models, companyId, { name: 'Okta' })).id.toHexString();
    [bob] = await seedPeople(models, companyId, [
      { email: 'bob@acme.example', firstName: 'Bob', lastName: 'Builder', sources: [{ settingId: entra, scimUserId: 'e-bob', department: 'Sales', managerId: 'e-ann', manager: 'Ann Boss' }, { settingId: okta, scimUserId: 'o-bob', externalId: '00u-bob' }] },
      { email: 'ann@acme.example', firstName: 'Ann', lastName: 'Boss', sources: [{ settingId: entra, scimUserId: 'e-ann', department: 'Board' }] },
      { email: 'eve@acme.example', firstName: '=HYPERLINK("http://evil.example","Eve")', lastName: 'Okta', sources: [{ settingId: okta, scimUserId: 'o-eve' }] },
    ]).then((ids) => ids.map(String));
    browser = await openBrowser(system.baseUrl);
    await signIn(browser.page, system.baseUrl, COMPANY_ADMIN);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  step('adds a target user by hand, refusing an address that is not one', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/TargetUser'));
    await action(page, 'New target user').click();
    await page.waitForURL(/\/admin\/resources\/TargetUser\/actions\/new$/);
    await expect(heading(page).textContent()).resolves.toBe('New target user');
    await page.fill('[name="email"]', 'alice at acme');
    await page.getByRole('button', { name: 'Save' }).click();
    await content(page).getByText('Enter a valid e-mail address, like name@example.com.').waitFor();
    await page.fill('[name="email"]', 'Alice@Acme.example');
    await page.fill('[name="firstName"]', 'Alice');
    await page.fill('[name="lastName"]', 'Liddell');
    await page.fill('[name="customFields.office"]', 'Berlin');
    await content(page).locator('label', { hasText: 'Finance' }).click();
    await screenshot(page, '40-new-target-user');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/resources\/TargetUser\/records\/[0-9a-f]{24}\/show/);
    await content(page).locator('h2', { hasText: 'Alice@Acme.example' }).waitFor();
    await content(page).getByText('Console: added by an admin, sent by no SCIM setting.').waitFor();
    await content(page).getByText('Office: Berlin').waitFor();
    expect(await system.models.TargetUser.findOne({ companyId, emailKey: 'alice@acme.example' }).lean()).toMatchObject({ origin: 'console', firstName: 'Alice', customFields: { office: 'Berlin' } });
  }, 90_000);

  step('edits a SCIM-managed person: its fields read-only, managed by its setting; its manual groups', async () => {
    const { page } = browser;
    await page.goto(on(`/admin/resources/TargetUser/records/${bob}/edit`));
    await content(page).getByText('Managed by Entra ID').first().waitFor();
    await expect(content(page).locator('input[name="email"]').count()).resolves.toBe(0);
    await content(page).locator('label', { hasText: 'Finance' }).click();
    await screenshot(page, '41-edit-scim-managed');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/records/${bob}/show`));
    // Its page: the groups, its two sources with their SCIM ids, its manager found among the people.
    // (The page loads the record again after the save: these wait for what it shows at last.)
    const sources = content(page).getByTestId('person-sources');
    await sources.locator('tbody tr', { hasText: 'Entra ID' }).filter({ hasText: 'e-bob' }).waitFor();
    await sources.locator('tbody tr', { hasText: 'Okta' }).filter({ hasText: 'o-bob' }).filter({ hasText: '00u-bob' }).waitFor();
    const manager = content(page).getByTestId('manager-link').filter({ hasText: 'Ann Boss · ann@acme.example' });
    await manager.waitFor();
    await screenshot(page, '42-scim-managed-person');
    await manager.click();
    await content(page).locator('h2', { hasText: 'ann@acme.example' }).waitFor();
    expect((await system.models.TargetUser.findById(bob).lean())?.manualGroupIds).toHaveLength(1);
  }, 90_000);

  step('lists each person’s sources and filters by one, or by console-managed', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/TargetUser'));
    await listedRow(page, 'bob@acme.example').waitFor();
    const listed = Object.fromEntries((await column(page, 'email')).map((email, i) => [email, i]));
    const sources = await column(page, 'sourceNames');
    expect(sources[listed['bob@acme.example']!]).toBe('Entra ID, Okta');
    expect(sources[listed['Alice@Acme.example']!]).toBe('Console');
    const fit = await tableFit(page, 'Status');
    expect(fit.columnRight).toBeLessThanOrEqual(fit.windowWidth);
    await screenshot(page, '43-target-users-sources');

    await chooseSource(page, 'Okta');
    await listAfter(page, () => content(page).locator('[data-css="TargetUser-filter-drawer-button-apply"]').click());
    await page.waitForURL(/filters\.source=[0-9a-f]{24}/);
    await listedRow(page, 'eve@acme.example').waitFor();
    expect((await column(page, 'email')).sort()).toEqual(['bob@acme.example', 'eve@acme.example']);
    await screenshot(page, '44-sources-filter');

    await page.goto(on('/admin/resources/TargetUser?filters.source=console'));
    await listedRow(page, 'Alice@Acme.example').waitFor();
    expect(await column(page, 'email')).toEqual(['Alice@Acme.example']);
  }, 90_000);

  step('exports the filtered list as CSV that opens as text', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/TargetUser'));
    await chooseSource(page, 'Okta');
    await listAfter(page, () => content(page).locator('[data-css="TargetUser-filter-drawer-button-apply"]').click());
    await page.waitForURL(/filters\.source=/);
    // The list as filtered, the filter drawer closed.
    await page.goto(page.url());
    await listedRow(page, 'eve@acme.example').waitFor();
    await action(page, 'Export').click();
    await page.waitForURL(/\/admin\/resources\/TargetUser\/actions\/export\?.*filters\.source=/);
    const summary = content(page).getByTestId('export-target-users');
    await summary.getByText(/matching the list's filter \(2\)/).waitFor();
    await screenshot(page, '45-export');
    const downloading = page.waitForEvent('download');
    await content(page).getByTestId('download-csv').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^target-users-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    expect(csv.split('\r\n')).toEqual([
      'E-mail,First name,Last name,Department,Title,Phone,Manager,Groups,Status,Sources,Office',
      'bob@acme.example,Bob,Builder,Sales,,,Ann Boss <ann@acme.example>,Finance,active,"Entra ID, Okta",',
      `eve@acme.example,"'=HYPERLINK(""http://evil.example"",""Eve"")",Okta,,,,,,active,Okta,`,
      '',
    ]);
  }, 90_000);
  step('excludes a person from SCIM management after asking, edits it, and manages it by SCIM again', async () => {
    const { page } = browser;
    await page.goto(on(`/admin/resources/TargetUser/records/${bob}/show`));
    await action(page, 'Exclude from SCIM management').click();
    await page.waitForURL(new RegExp(`/records/${bob}/excludeFromScim$`));
    const confirmation = content(page).getByTestId('scim-exclusion');
    await confirmation.getByText('Entra ID, Okta').waitFor();
    await screenshot(page, '46-exclude-confirmation');
    await content(page).getByTestId('confirm-scim-exclusion').click();
    await page.waitForURL(new RegExp(`/records/${bob}/show`));
    await content(page).getByText(/Excluded from SCIM management since .* UTC: its fields, status and groups stay as they were/).waitFor();
    await screenshot(page, '47-excluded-person');

    // Its fields are typed here now, but for its address.
    await action(page, 'Edit').click();
    await page.waitForURL(new RegExp(`/records/${bob}/edit`));
    await content(page).getByTestId('address-kept').waitFor();
    await expect(content(page).locator('input[name="email"]').count()).resolves.toBe(0);
    await page.fill('[name="firstName"]', 'Robert');
    await screenshot(page, '48-edit-excluded-person');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/records/${bob}/show`));
    await content(page).getByText('Robert').first().waitFor();

    await page.goto(on('/admin/resources/TargetUser?filters.source=excluded'));
    await listedRow(page, 'bob@acme.example').waitFor();
    expect(await column(page, 'sourceNames')).toEqual(['Excluded from SCIM (Entra ID, Okta)']);
    await screenshot(page, '49-excluded-in-list');

    await page.goto(on(`/admin/resources/TargetUser/records/${bob}/show`));
    await action(page, 'Manage by SCIM again').click();
    await page.waitForURL(new RegExp(`/records/${bob}/manageByScim$`));
    await content(page).getByTestId('confirm-scim-exclusion').click();
    await page.waitForURL(new RegExp(`/records/${bob}/show`));
    await content(page).getByText('Managed by SCIM: Entra ID, Okta.').first().waitFor();
    expect(await system.models.TargetUser.findById(bob).lean()).toMatchObject({ firstName: 'Bob', scimExclusion: null });
  }, 90_000);
});
