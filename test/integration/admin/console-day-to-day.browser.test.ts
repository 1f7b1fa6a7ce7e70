import type { Types } from 'mongoose';
import type { Page } from 'playwright-core';
import { saveAdmin } from '../../../admin/auth/admin-accounts';
import { makeCustomField, makeScimSetting } from '../../factories';
import { openBrowser, screenshot, type ConsoleBrowser } from './support/browser';
import { ConsoleProcesses } from './support/console-processes';
import { action, browserStep, column, COMPANY_ADMIN, content, createUsers, eventually, heading, listAfter, reloadUntilListed, signIn, tableFit } from './support/console-flows';

const LOCALITY = 'addresses[type eq "work"].locality';

/** The re-sync page once the re-sync of `rulesVersion` is finished (the page shows the current rules' re-sync). */
const finishedResync = (page: Page, rulesVersion: number) => content(page).locator('.card', { hasText: `Rules version ${rulesVersion} of Entra ID.` }).locator('[data-resync="finished"]');

const FIGURES = ['users', 'groups'].flatMap((kind) => ['recorded', 'reprojected', 'changed', 'failed'].map((figure) => `${kind}-${figure}`));

/** The finished re-sync's figures by name (`users-changed`: …), as the page shows them. */
async function resyncFigures(page: Page): Promise<Record<string, string | null>> {
  const shown = await Promise.all(FIGURES.map((name) => content(page).locator(`#resync-figures [data-resync-figure="${name}"]`).textContent()));
  return Object.fromEntries(FIGURES.map((name, i) => [name, shown[i] ?? null]));
}

/**
 * What a company admin does day to day, in a real browser: finding target users by search and
 * filters, reading the sync activity and following a failure to its user, and changing a live
 * setting's grouping after a preview, through the re-sync to the new groups.
 */
describe('admin console in a real browser: day to day', () => {
  let system: ConsoleProcesses;
  let browser: ConsoleBrowser;
  let companyId: Types.ObjectId;
  let settingId: string;
  let ids: Record<string, string>;
  const step = browserStep(() => browser);
  const on = (path: string) => `${system.baseUrl}${path}`;

  beforeAll(async () => {
    system = await ConsoleProcesses.start('console_day_to_day', { worker: true });
    const { models } = system;
    companyId = (await models.Company.create({ name: 'Acme Ltd' }))._id;
    await saveAdmin(models, { ...COMPANY_ADMIN, role: 'companyAdmin', companyId });
    const office = await makeCustomField(models, companyId, 'office', 'Office');
    const setting = await makeScimSetting(models, companyId, { name: 'Entra ID', groupingCriteria: 'department', fieldMappings: [{ scimPath: LOCALITY, customFieldId: office._id }] });
    settingId = setting.id.toHexString();
    ids = await createUsers(`${system.baseUrl}/scim`, setting.token, [
      { userName: 'ada.lovelace@acme.example', first: 'Ada', last: 'Lovelace', department: 'Engineering', city: 'Berlin' },
      { userName: 'grace.hopper@acme.example', first: 'Grace', last: 'Hopper', department: 'Engineering', city: 'London' },
      { userName: 'linus.pauling@acme.example', first: 'Linus', last: 'Pauling', department: 'Sales', city: 'Berlin' },
      { userName: 'mary.jackson@acme.example', first: 'Mary', last: 'Jackson', department: 'Sales', city: 'London', active: false },
    ]);
    await eventually('every user projected', system, async () => (await models.TargetUser.countDocuments({ companyId })) === 4);
    // What the worker records when a projection fails for good, with whom it was about.
    const grace = ids['grace.hopper@acme.example']!;
    await models.SyncActivity.create({
      companyId, scimSettingId: setting.id, operation: `PATCH /Users/${grace}`, resourceType: 'User', resourceId: grace, version: 2, outcome: 'failed',
      changes: [], error: 'Projection failed 8 times: database unavailable', email: 'grace.hopper@acme.example', displayName: 'Grace Hopper',
    });
    browser = await openBrowser(system.baseUrl);
    await signIn(browser.page, system.baseUrl, COMPANY_ADMIN);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  step('finds target users by search, status, group and custom field value', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/TargetUser'));
    await content(page).locator('[data-css="TargetUser-filter-button"]').click();
    await page.fill('input[name="filter-search"]', 'grace hop');
    // A company admin filters within the own company: there is no company to choose.
    await expect(content(page).locator('[data-css="TargetUser-filter-companyId"]').count()).resolves.toBe(0);
    await screenshot(page, '20-target-users-filters');
    await listAfter(page, () => content(page).locator('[data-css="TargetUser-filter-drawer-button-apply"]').click());
    await page.waitForURL(/filters\.search=grace/);
    expect(await column(page, 'email')).toEqual(['grace.hopper@acme.example']);

    await page.goto(on('/admin/resources/TargetUser?filters.status=inactive'));
    expect(await column(page, 'email')).toEqual(['mary.jackson@acme.example']);
    const sales = await system.models.TargetGroup.findOne({ companyId, name: 'Sales' }).lean();
    await page.goto(on(`/admin/resources/TargetUser?filters.group=${String(sales?._id)}`));
    expect((await column(page, 'email')).sort()).toEqual(['linus.pauling@acme.example', 'mary.jackson@acme.example']);
    await page.goto(on(`/admin/resources/TargetUser?filters.customFieldValue=${encodeURIComponent('Office: berlin')}`));
    expect((await column(page, 'email')).sort()).toEqual(['ada.lovelace@acme.example', 'linus.pauling@acme.example']);
    await page.goto(on(`/admin/resources/TargetUser?filters.scimSettingId=${settingId}&filters.search=pauling`));
    expect(await column(page, 'email')).toEqual(['linus.pauling@acme.example']);
    // The groups by name, in a list that fits the window with its status.
    expect(await column(page, 'groupNames')).toEqual(['Sales']);
    const fit = await tableFit(page, 'Status');
    expect(fit.columnRight).toBeLessThanOrEqual(fit.windowWidth);
  }, 90_000);

  step('shows who each sync entry is about and what changed, filters by outcome, and leads from a failure to the user', async () => {
    const { page } = browser;
    await page.goto(on('/admin/resources/SyncActivity'));
    await content(page).getByText('Grace Hopper · grace.hopper@acme.example').first().waitFor();
    // The projection names whom each entry is about.
    expect((await column(page, 'subject')).some((subject) => subject.endsWith('ada.lovelace@acme.example'))).toBe(true);
    expect(await column(page, 'changedFields')).toContain('Created');
    const fit = await tableFit(page, 'Outcome');
    expect(fit.columnRight).toBeLessThanOrEqual(fit.windowWidth);
    await screenshot(page, '21-sync-activity');

    await page.goto(on(`/admin/resources/SyncActivity?filters.outcome=failed&filters.scimSettingId=${settingId}`));
    expect(await column(page, 'subject')).toEqual(['Grace Hopper · grace.hopper@acme.example']);
    expect(await column(page, 'errorSummary')).toEqual(['Projection failed 8 times: database unavailable']);
    const from = new Date(Date.now() + 60 * 60_000).toISOString();
    await page.goto(on(`/admin/resources/SyncActivity?filters.at~~from=${encodeURIComponent(from)}`));
    expect(await column(page, 'subject')).toEqual([]);

    await page.goto(on(`/admin/resources/SyncActivity?filters.outcome=failed`));
    await content(page).getByText('Grace Hopper · grace.hopper@acme.example').first().click();
    await expect(heading(page).textContent()).resolves.toBe('Grace Hopper · grace.hopper@acme.example');
    await screenshot(page, '22-sync-entry');
    await action(page, 'Target user').click();
    await page.waitForURL(/\/admin\/resources\/TargetUser\?.*filters\.scimUserId=/);
    // The address changes before the app draws the list: wait for the list itself.
    await content(page).locator('td[data-css$="-email-table-cell"]', { hasText: 'grace.hopper@acme.example' }).waitFor();
    expect(await column(page, 'email')).toEqual(['grace.hopper@acme.example']);
  }, 90_000);

  step('previews a change of grouping, saves it, and follows the re-sync to the new groups', async () => {
    const { page } = browser;
    await page.goto(on(`/admin/resources/ScimSetting/records/${settingId}/show`));
    await action(page, 'Edit').click();
    await page.locator('#name').waitFor();
    await action(page, 'Next').click();
    await page.check('input[name=groupingCriteria][value=customField]');
    await page.selectOption('select[name=groupByCustomFieldId]', { label: 'Office' });
    await action(page, 'Preview changes').click();
    await page.locator('#preview').waitFor();
    await expect(page.locator('[data-preview="changed"]').textContent()).resolves.toBe('4');
    await expect(page.locator('#preview-groups [data-group="London"]').getAttribute('data-created')).resolves.toBe('true');
    await expect(page.locator('#preview-groups [data-group="Engineering"]').getAttribute('data-emptied')).resolves.toBe('true');
    await screenshot(page, '23-preview');
    // Nothing is written by a preview.
    expect((await system.models.ScimSetting.findById(settingId).lean())?.groupingCriteria).toBe('department');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/records\/[0-9a-f]{24}\/resync$/);
    // The page follows the re-sync by itself until the worker stamps it finished, then stops.
    await finishedResync(page, 2).waitFor({ timeout: 60_000 });
    expect(await resyncFigures(page)).toEqual({ 'users-recorded': '4', 'users-reprojected': '4', 'users-changed': '4', 'users-failed': '0', 'groups-recorded': '0', 'groups-reprojected': '0', 'groups-changed': '0', 'groups-failed': '0' });
    await screenshot(page, '24-resync-done');
    await page.goto(on('/admin/resources/TargetGroup'));
    await reloadUntilListed(page, 'displayName', ['Berlin', 'Engineering', 'London', 'Sales'], system);
    const fit = await tableFit(page, 'Members');
    expect(fit.columnRight).toBeLessThanOrEqual(fit.windowWidth);
  }, 120_000);

  step('re-syncs a setting from its page, follows it to its end, and leaves no notice behind', async () => {
    const { page } = browser;
    await page.goto(on(`/admin/resources/ScimSetting/records/${settingId}/show`));
    await action(page, 'Re-sync').click();
    await page.waitForURL(/\/records\/[0-9a-f]{24}\/resync$/);
    await finishedResync(page, 2).waitFor();
    await action(page, 'Re-sync now').click();
    // Answered in place with the re-sync of version 3, which the page follows to its end.
    await finishedResync(page, 3).waitFor({ timeout: 60_000 });
    expect(await resyncFigures(page)).toMatchObject({ 'users-recorded': '4', 'users-reprojected': '4', 'users-changed': '0', 'users-failed': '0' });
    await expect(content(page).locator('[data-refresh-seconds]').count()).resolves.toBe(0);
    await screenshot(page, '25-resync-again');

    // A later visit tells the same from the store: the re-sync finished, and no notice of its start is left.
    await page.reload();
    await finishedResync(page, 3).waitFor();
    await expect(content(page).locator('.banner').count()).resolves.toBe(0);
    await expect(content(page).getByText(/started/i).count()).resolves.toBe(0);
    await page.goto(on(`/admin/resources/ScimSetting/records/${settingId}/show`));
    const summary = content(page).locator('#resync-summary[data-resync="finished"]');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/^Finished \d{4}-\d\d-\d\d \d\d:\d\d UTC: 4 users and 0 groups re-projected, 0 changed, 0 failed$/);
  }, 120_000);

  step('asked only the console on every page, and the Content-Security-Policy refused nothing', async () => {
    const origin = new URL(system.baseUrl).origin;
    expect(browser.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
  }, 10_000);
});
