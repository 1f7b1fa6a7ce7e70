import type { ConsoleAdmin } from '../auth/console-admin';
import { escapeHtml } from '../pages/html';
import type { ConsoleAdminJS } from './build';
import type { AdminJSModules, CurrentAdmin } from './esm';

export const ADMINJS_ASSETS = '/admin/frontend/assets';
export const CONSOLE_BOOT_ASSETS = { boot: `${ADMINJS_ASSETS}/console-boot.js`, start: `${ADMINJS_ASSETS}/console-start.js`, style: `${ADMINJS_ASSETS}/console-page.css` };

/**
 * JSON inside a `<script type="application/json">` element, which the browser never runs: with
 * `<` escaped no value can close the element, and the two line separators JSON allows but
 * scripts did not are escaped too.
 */
export const jsonForHtml = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * Every AdminJS page (its single-page app): AdminJS's own template, without inline scripts
 * (the state travels as JSON data, see page-assets.ts) and without its Google Fonts link (the
 * theme uses system fonts, see build.ts). The same HTML serves every AdminJS route; the app
 * reads the route from the address bar.
 */
export async function renderAdminJSPage(m: AdminJSModules, admin: ConsoleAdminJS, currentAdmin: ConsoleAdmin): Promise<string> {
  const store = await m.adminjs.initializeStore(admin, currentAdmin as CurrentAdmin);
  const state = store.getState();
  const scripts = (state.assets.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n');
  const styles = (state.assets.styles ?? []).map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>${escapeHtml(state.branding.companyName ?? 'SCIM provisioning')}</title>
<script type="application/json" id="adminjs-state">${jsonForHtml(state)}</script>
<script src="${ADMINJS_ASSETS}/global.bundle.js"></script>
<script src="${ADMINJS_ASSETS}/design-system.bundle.js"></script>
<script src="${CONSOLE_BOOT_ASSETS.boot}"></script>
<script src="${ADMINJS_ASSETS}/app.bundle.js"></script>
<script src="${ADMINJS_ASSETS}/components.bundle.js"></script>
<link rel="stylesheet" href="${CONSOLE_BOOT_ASSETS.style}">
${styles}
</head>
<body><div id="app"></div>
<script src="${CONSOLE_BOOT_ASSETS.start}"></script>
${scripts}
</body></html>`;
}
