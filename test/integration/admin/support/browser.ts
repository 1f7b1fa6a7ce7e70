import { access, mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', '..', '..', 'test-artifacts', 'admin-console');
export const CONSOLE_VIEWPORT = { width: 1280, height: 900 };

/**
 * The design system's bundle finds the global object with `new Function('return this')` inside
 * a try/catch that falls back to `window`: refusing that eval is the policy working, not a fault.
 */
const EXPECTED_REFUSAL = /^script-src eval \S+\/admin\/frontend\/assets\/design-system\.bundle\.js$/;

export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  /** Every URL the pages asked for, in order (data: URLs aside: they are not requests to anyone). */
  requests: string[];
  /** Everything the Content-Security-Policy refused, as "directive blocked-URL source-file", but the one expected refusal below. */
  cspViolations: string[];
  close(): Promise<void>;
}

/**
 * Debian's chromium (scripts/ensure-chromium.sh installs it), headless, quiet, with a throwaway
 * profile; it records every request and every refusal by the Content-Security-Policy.
 */
export async function openBrowser(baseUrl: string): Promise<ConsoleBrowser> {
  await access(CHROMIUM).catch(() => {
    throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (it installs Debian's chromium package).`);
  });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'console-browser-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // The width the console's tables must fit without hiding actions or status.
    viewport: CONSOLE_VIEWPORT,
  });
  const requests: string[] = [];
  const cspViolations: string[] = [];
  context.on('request', (request) => {
    if (!request.url().startsWith('data:')) requests.push(request.url());
  });
  // Whatever asks another host is recorded above; the test must not depend on the internet.
  await context.route((url) => url.origin !== new URL(baseUrl).origin, (route) => route.abort());
  await context.exposeBinding('reportCspViolation', (_source, violation: string) => {
    if (!EXPECTED_REFUSAL.test(violation)) cspViolations.push(violation);
  });
  // A string: the test compiles without the DOM's types.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', function (event) { window.reportCspViolation(event.effectiveDirective + ' ' + event.blockedURI + ' ' + event.sourceFile); });`,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    requests,
    cspViolations,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A picture of the whole page for a person to look at after a run. AdminJS scrolls its content
 * inside the page rather than the page itself, so the viewport grows to the tallest scrolling
 * content for the picture, then shrinks back.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const height = await page.evaluate('Math.max(...Array.from(document.querySelectorAll("*"), (e) => e.scrollHeight))');
  await page.setViewportSize({ width: CONSOLE_VIEWPORT.width, height: Math.min(Math.max(Number(height), CONSOLE_VIEWPORT.height), 8000) });
  try {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  } finally {
    await page.setViewportSize(CONSOLE_VIEWPORT);
  }
}

/**
 * Whether a text field draws the underscores of its value: the inside of its box (inset past
 * the border, whose anti-aliased corners vary from one picture to the next) changes once they
 * are spaces. Chromium cut them off below the text of a fixed-height input in DejaVu Sans Mono
 * at 14px, so a token `scim_…_…` read `scim … …`. The field's value is put back.
 */
export async function drawsUnderscores(page: Page, selector: string): Promise<boolean> {
  const field = page.locator(selector);
  const value = await field.inputValue();
  const box = await field.boundingBox();
  if (box === null) throw new Error(`${selector} is not shown`);
  const inside = { x: box.x + 3, y: box.y + 3, width: box.width - 6, height: box.height - 6 };
  const setValue = (text: string) => field.evaluate((input, to) => void ((input as unknown as { value: string }).value = to), text);
  const drawn = await page.screenshot({ clip: inside });
  await setValue(value.replaceAll('_', ' '));
  const withSpaces = await page.screenshot({ clip: inside });
  await setValue(value);
  return !drawn.equals(withSpaces);
}
