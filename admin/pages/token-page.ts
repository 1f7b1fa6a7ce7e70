import { html, type Html } from './html';

export interface TokenPage {
  settingName: string;
  settingId: string;
  token: string;
  tenantUrl: string;
  reason: 'created' | 'rotated';
}

/**
 * The only time a token is shown: on the page the POST that made it redirects to, from the
 * session's sealed hand-off (admin/scim-settings/token-handoff.ts), sent with Cache-Control: no-store.
 */
export function tokenPageBody(p: TokenPage): Html {
  const idps = [
    ['entra-id', 'Microsoft Entra ID'],
    ['okta', 'Okta'],
    ['onelogin', 'OneLogin'],
    ['jumpcloud', 'JumpCloud'],
  ] as const;
  return html`
<div class="banner ok">${p.reason === 'created' ? html`SCIM setting <strong>${p.settingName}</strong> saved.` : html`New token issued for <strong>${p.settingName}</strong>. The old token stopped working.`}</div>
<div class="card">
<label for="tenant-url">Tenant URL</label>
<div class="secret"><input type="text" id="tenant-url" value="${p.tenantUrl}" readonly><button type="button" class="btn secondary" data-copy="tenant-url">Copy</button></div>
<label for="secret-token">Secret token</label>
<div class="secret"><input type="text" id="secret-token" value="${p.token}" readonly><button type="button" class="btn" data-copy="secret-token">Copy</button></div>
<div class="banner warn spaced"><strong>This token is shown only once.</strong> Copy it now and paste it into your identity provider. If it is lost, rotate the token to get a new one.</div>
<h3>Next: set up your identity provider</h3>
<p>${idps.map(([anchor, name], i) => html`${i > 0 ? ' · ' : ''}<a href="/admin/pages/setupHelp#${anchor}">${name}</a>`)}</p>
<div class="actions"><a class="btn" href="/admin/resources/ScimSetting/records/${p.settingId}/show">Done</a></div>
</div>`;
}

/** The token page once its token has been shown: it is not stored anywhere, so it cannot be shown again. */
export function tokenShownBody(p: Pick<TokenPage, 'settingName' | 'settingId' | 'tenantUrl'>): Html {
  return html`
<div class="banner warn">The secret token of <strong>${p.settingName}</strong> was shown once, right after it was made, and cannot be shown again: only its hash is stored.</div>
<div class="card">
<p>If it was not copied, <a href="/admin/resources/ScimSetting/records/${p.settingId}/rotateToken">rotate the token</a> to get a new one (the current one then stops working).</p>
<label for="tenant-url">Tenant URL</label>
<div class="secret"><input type="text" id="tenant-url" value="${p.tenantUrl}" readonly><button type="button" class="btn secondary" data-copy="tenant-url">Copy</button></div>
<div class="actions"><a class="btn" href="/admin/resources/ScimSetting/records/${p.settingId}/show">Done</a></div>
</div>`;
}
