import type { ConsoleAdmin } from '../auth/console-admin';
import { html, type Html } from './html';

export interface PageOptions {
  title: string;
  admin: ConsoleAdmin;
  body: Html;
}

/** The element AdminJS's ConsolePage component shows a page's content from (admin/components/console-page.js). */
export const PAGE_ROOT_ID = 'console-page';

const head = (title: string) =>
  html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · SCIM provisioning</title><link rel="stylesheet" href="/admin/x/assets/console.css">
<script src="/admin/x/assets/console.js" defer></script></head>`;

/**
 * A console page under /admin/x. In the console it is shown inside AdminJS's layout by the
 * ConsolePage component, which takes the content of #console-page; the document around it is
 * what a browser sees when it opens the address itself (a form posted without scripts), with a
 * way back into the console.
 */
export function renderPage({ title, admin, body }: PageOptions): string {
  return html`<!DOCTYPE html>
<html lang="en">${head(title)}
<body class="standalone"><header><a class="brand" href="/admin">SCIM provisioning</a><span class="who">${admin.email}</span></header>
<main><h1>${title}</h1><div id="${PAGE_ROOT_ID}" class="console-page">${body}</div></main></body></html>`.value;
}

/** A page for someone not signed in (sign-in, sign-out): the brand only, no navigation. */
export function renderSignedOutPage({ title, body }: Omit<PageOptions, 'admin'>): string {
  return html`<!DOCTYPE html>
<html lang="en">${head(title)}
<body class="standalone signed-out"><header><span class="brand">SCIM provisioning</span></header>
<main><h1>${title}</h1><div class="console-page">${body}</div></main></body></html>`.value;
}

export function notFoundPage(admin: ConsoleAdmin): string {
  return renderPage({ title: 'Not found', admin, body: html`<div class="card"><p>There is no such page, or no such record in your company.</p><p><a href="/admin/resources/ScimSetting">Back to SCIM settings</a></p></div>` });
}
