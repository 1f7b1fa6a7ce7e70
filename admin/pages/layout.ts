import type { ConsoleAdmin } from '../auth/console-admin';
import { html, trusted, type Html } from './html';

/** Colours and spacing follow AdminJS's default theme, so moving between its pages and these feels like one console. */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:Roboto,system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;color:#0c1e29;background:#f6f7fb;line-height:1.5}
header{background:#fff;border-bottom:1px solid #e6e8f0;padding:0 24px;display:flex;align-items:center;gap:20px;height:56px}
header .brand{font-weight:700;color:#3040d6;margin-right:12px;text-decoration:none}
header nav{display:flex;gap:16px;flex-wrap:wrap;flex:1}
header a{color:#454655;text-decoration:none}
header a:hover{color:#3040d6}
header .who{color:#898a9a;font-size:13px}
header form{margin:0}
main{max-width:980px;margin:24px auto;padding:0 24px}
main.narrow{max-width:440px}
h1{font-size:24px;font-weight:400;margin:8px 0 20px}
h2{font-size:18px;font-weight:500;margin:28px 0 12px}
h3{font-size:15px;font-weight:500;margin:20px 0 8px}
.card{background:#fff;border-radius:4px;box-shadow:0 1px 4px rgba(12,30,41,.08);padding:24px;margin-bottom:20px}
.card>h2:first-child{margin-top:0}
label{display:block;font-weight:500;margin:14px 0 6px}
.hint{color:#898a9a;font-size:13px;margin:4px 0 0}
input[type=text],input[type=email],input[type=password],select{width:100%;padding:8px 10px;border:1px solid #c0c0ca;border-radius:4px;font:inherit;background:#fff}
input[readonly]{background:#f6f7fb;font-family:ui-monospace,Menlo,Consolas,monospace}
.row{display:flex;gap:12px;align-items:flex-start}
.row>*{flex:1}
.mapping{display:grid;grid-template-columns:3fr 2fr;gap:12px;margin-bottom:8px}
.radio{display:flex;gap:8px;align-items:flex-start;font-weight:400;margin:8px 0}
.radio input{margin-top:4px}
.btn{display:inline-block;border:1px solid #3040d6;background:#3040d6;color:#fff;border-radius:4px;padding:8px 18px;font:inherit;cursor:pointer;text-decoration:none}
.btn.secondary{background:#fff;color:#3040d6}
.btn.danger{background:#c20012;border-color:#c20012}
.actions{display:flex;gap:12px;margin-top:24px;align-items:center}
.error{color:#c20012;font-size:13px;margin:4px 0 0}
.banner{padding:12px 16px;border-radius:4px;margin-bottom:20px}
.banner.error{background:#ffe5e7;color:#8a000d;font-size:14px}
.banner.warn{background:#fff4d6;color:#6b4b00}
.banner.ok{background:#e1f7ec;color:#0b5c36}
.secret{display:flex;gap:8px}
.secret input{flex:1}
.progress{height:12px;background:#e6e8f0;border-radius:6px;overflow:hidden}
.progress>div{height:100%;background:#3040d6}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #e6e8f0;vertical-align:top}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
pre{background:#f6f7fb;padding:12px;border-radius:4px;overflow:auto}
.tabs a{margin-right:16px}
ol li{margin:4px 0}
`;

export interface PageOptions {
  title: string;
  admin: ConsoleAdmin;
  body: Html;
}

/** A console page: the same top navigation as every other, and the shared script. */
export function renderPage({ title, admin, body }: PageOptions): string {
  const link = (href: string, label: string) => html`<a href="${href}">${label}</a>`;
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · SCIM provisioning</title><style>${trusted(STYLE)}</style>
<script src="/admin/x/assets/console.js" defer></script></head>
<body><header><a class="brand" href="/admin/resources/ScimSetting">SCIM provisioning</a>
<nav>${link('/admin/resources/ScimSetting', 'SCIM Settings')}${link('/admin/resources/CustomField', 'Custom Fields')}${link('/admin/resources/TargetUser', 'Target Users')}${link('/admin/resources/TargetGroup', 'Target Groups')}${link('/admin/resources/SyncActivity', 'Sync Activity')}${link('/admin/x/setup-help', 'Setup help')}${admin.role === 'platformAdmin' ? link('/admin/queues', 'Queues') : ''}</nav>
<span class="who">${admin.email}</span><form method="post" action="/admin/logout"><button class="btn secondary" type="submit">Sign out</button></form></header>
<main><h1>${title}</h1>${body}</main></body></html>`.value;
}

/** A page for someone not signed in (sign-in, sign-out): the brand only, no navigation. */
export function renderSignedOutPage({ title, body }: Omit<PageOptions, 'admin'>): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · SCIM provisioning</title><style>${trusted(STYLE)}</style></head>
<body><header><span class="brand">SCIM provisioning</span></header>
<main class="narrow"><h1>${title}</h1>${body}</main></body></html>`.value;
}

export function notFoundPage(admin: ConsoleAdmin): string {
  return renderPage({ title: 'Not found', admin, body: html`<div class="card"><p>There is no such page, or no such record in your company.</p><p><a href="/admin/resources/ScimSetting">Back to SCIM settings</a></p></div>` });
}
