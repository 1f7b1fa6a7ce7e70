import { isUnderway, type ResyncStatus } from '../scim-settings/resync-status';
import { FORM_TOKEN_FIELD } from '../security/form-token';
import { html, type Html } from './html';
import { resyncDetails } from './resync-section';

interface SettingRef {
  id: string;
  name: string;
}

const hidden = (csrf: string) => html`<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${csrf}">`;
const back = (s: SettingRef) => html`<a href="/admin/resources/ScimSetting/records/${s.id}/show">Cancel</a>`;

export function rotateConfirmBody(setting: SettingRef, csrf: string): Html {
  return html`<form method="post" class="card"><p>Issue a new token for <strong>${setting.name}</strong>?</p>
<p>The current token <strong>stops working at once</strong>: paste the new one into your identity provider right after.</p>${hidden(csrf)}
<div class="actions"><button class="btn danger" type="submit">Rotate token</button>${back(setting)}</div></form>`;
}

export function enabledConfirmBody(setting: SettingRef & { enabled: boolean }, csrf: string): Html {
  const next = !setting.enabled;
  return html`<form method="post" class="card"><p><strong>${setting.name}</strong> is ${setting.enabled ? 'enabled' : 'disabled'}.</p>
<p>${next ? 'Enabling it lets its token be used again.' : 'Disabling it refuses every request with its token (401) until it is enabled again; nothing is deleted.'}</p>
${hidden(csrf)}<input type="hidden" name="enabled" value="${String(next)}">
<div class="actions"><button class="btn${next ? '' : ' danger'}" type="submit">${next ? 'Enable' : 'Disable'}</button>${back(setting)}</div></form>`;
}

/** The re-sync of the current rules as stored; while it is under way the page loads itself again (`data-refresh-seconds`, see admin/components/console-page.js). */
export function resyncBody(setting: SettingRef, rulesVersion: number, status: ResyncStatus, csrf: string): Html {
  return html`<div class="card"${isUnderway(status) ? html` data-refresh-seconds="3"` : ''}><p>Rules version <strong>${rulesVersion}</strong> of <strong>${setting.name}</strong>.</p>
${resyncDetails(setting.id, status)}
<form method="post">${hidden(csrf)}<div class="actions"><button class="btn" type="submit">Re-sync now</button>
<a href="/admin/resources/ScimSetting/records/${setting.id}/show">Back to the setting</a></div></form>
<p class="hint">Re-sync re-projects every user and group of this setting from the SCIM data the identity provider last sent, under the current field mappings and grouping criteria. The identity provider is not contacted.</p></div>`;
}

export function companyPickerBody(companies: Array<{ id: string; name: string }>): Html {
  if (companies.length === 0) return html`<div class="card"><p>There is no company yet. <a href="/admin/resources/Company/actions/new">Create one</a> first.</p></div>`;
  return html`<div class="card"><p>Which company is the SCIM setting for?</p><ul>${companies.map((c) => html`<li><a href="/admin/resources/ScimSetting/actions/new?companyId=${c.id}">${c.name}</a></li>`)}</ul></div>`;
}
