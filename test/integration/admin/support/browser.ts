import { access, mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(__dirname, '..', '..', '..', '..', 'test-artifacts', 'admin-console');

/** Debian's chromium (scripts/ensure-chromium.sh installs it), headless, quiet, with a throwaway profile. */
export async function openBrowser(baseUrl: string): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  await access(CHROMIUM).catch(() => {
    throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (it installs Debian's chromium package).`);
  });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'console-browser-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  // AdminJS's login page asks Google Fonts for Roboto; the test must not depend on the internet.
  await context.route((url) => url.origin !== new URL(baseUrl).origin, (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
