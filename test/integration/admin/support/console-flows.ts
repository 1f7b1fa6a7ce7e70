import type { Locator, Page } from 'playwright-core';
import { screenshot, type ConsoleBrowser } from './browser';
import type { ConsoleProcesses } from './console-processes';

export const COMPANY_ADMIN = { email: 'it@acme.example', password: 'acme console password' };
export const PLATFORM_ADMIN = { email: 'ops@platform.example', password: 'platform console password' };
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export async function signIn(page: Page, baseUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/admin`);
  await page.waitForURL(/\/admin\/login$/);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin\/resources\/ScimSetting/);
}

/** AdminJS's content area, without the sidebar (which holds links of the same names, off screen below 1324 px). */
export const content = (page: Page): Locator => page.locator('section[data-css="app-content"]');

/** An action or a button in the content area (AdminJS draws actions as links, the console's pages as buttons). */
export const action = (page: Page, name: string): Locator =>
  content(page).getByRole('link', { name, exact: true }).or(content(page).getByRole('button', { name, exact: true })).first();

/** The page's heading (AdminJS's header, or a custom page's). */
export const heading = (page: Page): Locator => content(page).locator('h2').first();

/** Waits for a condition the processes bring about (a projection, a re-sync), failing with their output. */
export async function eventually<T>(what: string, system: ConsoleProcesses, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    system.assertRunning();
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms\n${system.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Reloads until `text` shows: what a page lists is projected by the worker in its own time. */
export async function reloadUntilVisible(page: Page, text: string, system: ConsoleProcesses, timeoutMs = 45_000): Promise<void> {
  await eventually(`"${text}" on ${page.url()}`, system, async () => {
    if (await page.getByText(text, { exact: true }).first().isVisible().catch(() => false)) return true;
    await page.reload();
    await page.waitForLoadState('networkidle');
    return false;
  }, timeoutMs);
}

/** The values of one column of an AdminJS list, once it has loaded (while it loads, AdminJS draws placeholder rows). */
export async function column(page: Page, property: string): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  // A locator's wait, not waitForFunction: a string predicate that has to poll is evaluated in the
  // page, which the console's Content-Security-Policy (no eval) refuses.
  await content(page).locator('.adminjs_Placeholder, .adminjs_Loader').first().waitFor({ state: 'detached' });
  return content(page).locator(`td[data-css$="-${property}-table-cell"]`).allTextContents();
}

/** Runs `act` (a click that filters or pages a list inside the app) and waits for the list it asks for. */
export async function listAfter(page: Page, act: () => Promise<void>): Promise<void> {
  const listed = page.waitForResponse((response) => /\/api\/resources\/\w+\/actions\/list/.test(response.url()));
  await act();
  await listed;
}

/** Reloads the list until `property`'s column shows exactly `expected`, in any order: the worker projects in its own time. */
export async function reloadUntilListed(page: Page, property: string, expected: string[], system: ConsoleProcesses): Promise<void> {
  const want = JSON.stringify([...expected].sort());
  let seen: string[] = [];
  await eventually(`${page.url()} listing ${want} (last seen ${JSON.stringify(seen)})`, system, async () => {
    seen = (await column(page, property)).sort();
    if (JSON.stringify(seen) === want) return true;
    await page.reload();
    return false;
  });
}

/** Where a list's table and one of its column headings end, and how wide the window is: a table that fits ends inside the window. */
export async function tableFit(page: Page, columnHeading: string): Promise<{ tableRight: number; columnRight: number; windowWidth: number }> {
  const table = content(page).locator('table').first();
  const heading = table.locator('thead').getByText(columnHeading, { exact: true });
  const [tableBox, headingBox] = await Promise.all([table.boundingBox(), heading.boundingBox()]);
  return { tableRight: (tableBox?.x ?? 0) + (tableBox?.width ?? Infinity), columnRight: (headingBox?.x ?? 0) + (headingBox?.width ?? Infinity), windowWidth: page.viewportSize()?.width ?? 0 };
}

export const scimHeaders = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' });

export interface Person {
  userName: string;
  first: string;
  last: string;
  department?: string;
  city?: string;
  title?: string;
  active?: boolean;
}

/** An Entra ID style SCIM User (core + enterprise schemas, work address). */
export function entraUser(p: Person): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: p.userName.split('@')[0],
    userName: p.userName,
    active: p.active ?? true,
    name: { givenName: p.first, familyName: p.last, formatted: `${p.first} ${p.last}` },
    emails: [{ primary: true, type: 'work', value: p.userName }],
    ...(p.city ? { addresses: [{ type: 'work', locality: p.city }] } : {}),
    ...(p.title ? { title: p.title } : {}),
    ...(p.department ? { [ENTERPRISE]: { department: p.department } } : {}),
  };
}

/** The IdP creates users: returns their SCIM ids by userName. */
export async function createUsers(tenantUrl: string, token: string, people: Person[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const person of people) {
    const response = await fetch(`${tenantUrl}/Users`, { method: 'POST', headers: scimHeaders(token), body: JSON.stringify(entraUser(person)) });
    if (response.status !== 201) throw new Error(`POST /Users ${person.userName}: ${response.status} ${await response.text()}`);
    ids[person.userName] = ((await response.json()) as { id: string }).id;
  }
  return ids;
}

/**
 * `it` for a browser flow: when a step fails, a picture of the page it failed on goes with the
 * test artifacts, and the error tells the last requests the browser made.
 */
export function browserStep(browser: () => ConsoleBrowser) {
  return (name: string, fn: () => Promise<void>, timeoutMs: number) =>
    it(name, async () => {
      const before = browser().requests.length;
      try {
        await fn();
      } catch (error) {
        await screenshot(browser().page, `failure-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
        const asked = browser().requests.slice(before).filter((url) => !url.includes('/frontend/assets/')).slice(-20);
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nLast requests of this step:\n${asked.join('\n')}`, { cause: error });
      }
    }, timeoutMs);
}
