import { isUnderway, type ResyncStatus } from '../scim-settings/resync-status';
import type { SettingOverview, SyncFigures } from '../scim-settings/setting-overview';
import { formatTime } from './format';
import { html, type Html } from './html';
import { resyncSummary } from './resync-section';
import { conflictsSection } from './setting-conflicts-section';

const time = (date: Date | null, never: string) => (date ? html`<time datetime="${date.toISOString()}">${formatTime(date)}</time>` : never);

const GROUP_BY: Record<SettingOverview['rules']['groupingCriteria'], string> = {
  none: 'No group by: everyone goes to the Group Name',
  department: 'Department',
  customField: 'A custom mapped field',
  idpGroups: 'Synchronise groups with the identity provider',
};

const DELETES: Record<SettingOverview['rules']['deletePolicy'], string> = {
  markDeleted: 'Keep the target user, marked as deleted',
  deactivate: 'Keep the target user as inactive',
  remove: 'Remove the target user',
};

const usersOf = (id: string) => `/admin/resources/TargetUser?filters.scimSettingId=${id}`;
const activityOf = (id: string, outcome?: string) => `/admin/resources/SyncActivity?filters.scimSettingId=${id}${outcome ? `&filters.outcome=${outcome}` : ''}`;

/**
 * "Synchronisation": how far the setting's users and groups are: the counts, what the
 * projection has still to do, and the re-sync of the current rules (the section loads itself
 * again while that is under way).
 */
export function syncSection(id: string, sync: SyncFigures, resync: ResyncStatus): Html {
  return html`<section class="card" id="synchronisation"${isUnderway(resync) ? html` data-refresh-seconds="3"` : ''}><h2>Synchronisation</h2><dl class="values">
<div><dt>Target users</dt><dd><a href="${usersOf(id)}" data-figure="users">${sync.targetUsers.toLocaleString('en')}</a></dd></div>
<div><dt>Target groups it made</dt><dd><a href="/admin/resources/TargetGroup?filters.scimSettingId=${id}" data-figure="groups">${sync.targetGroups.toLocaleString('en')}</a></dd></div>
<div><dt>Failures</dt><dd><a href="${activityOf(id, 'failed')}" data-figure="failures">${sync.failures.toLocaleString('en')}</a></dd></div>
<div><dt>Last activity</dt><dd>${time(sync.lastActivityAt, 'None yet')} · <a href="${activityOf(id)}">Sync activity</a></dd></div>
<div><dt>Last successful projection</dt><dd id="last-projection">${time(sync.lastProjectedAt, 'None yet')}</dd></div>
<div><dt>Still to project</dt><dd><span data-figure="due">${sync.due.toLocaleString('en')}</span>${sync.failing > 0 ? html` <span class="hint">(${sync.failing.toLocaleString('en')} failing, retried later)</span>` : ''}</dd></div>
<div><dt>Re-sync</dt><dd><span id="resync-summary" data-resync="${resync.state}">${resyncSummary(resync)}</span> · <a href="/admin/resources/ScimSetting/records/${id}/resync">Re-sync page</a></dd></div>
</dl></section>`;
}

/** A SCIM setting's page: how the identity provider connects, how far it synchronised, and its rules. */
export function settingOverviewBody(s: SettingOverview, tenantUrl: string, resync: ResyncStatus): Html {
  const { rules } = s;
  return html`
<section class="card" id="connection"><h2>Connection</h2>
<label for="tenant-url">Tenant URL</label>
<div class="secret"><input type="text" id="tenant-url" value="${tenantUrl}" readonly><button type="button" class="btn secondary" data-copy="tenant-url">Copy</button></div>
<dl class="values spaced">
<div><dt>Status</dt><dd>${s.enabled ? html`<span class="badge success">Enabled</span>` : html`<span class="badge danger">Disabled</span>`}</dd></div>
<div><dt>Secret token</dt><dd><code>${s.tokenPrefix}</code>${s.tokenIssuedAt ? html`<br><span class="hint">issued ${time(s.tokenIssuedAt, '')}</span>` : ''}</dd></div>
<div><dt>Last request from the identity provider</dt><dd id="last-request">${time(s.lastRequestAt, 'Never')}</dd></div>
<div><dt>Company</dt><dd>${s.companyName}</dd></div>
</dl>
<p class="hint spaced">Set up your identity provider: <a href="/admin/pages/setupHelp#entra-id">Entra ID</a> · <a href="/admin/pages/setupHelp#okta">Okta</a> · <a href="/admin/pages/setupHelp#onelogin">OneLogin</a> · <a href="/admin/pages/setupHelp#jumpcloud">JumpCloud</a></p>
</section>
${syncSection(s.id, s.sync, resync)}
${conflictsSection(s.id, s.conflicts)}
<section class="card" id="rules"><h2>Rules</h2>
<h3>Map Fields</h3>
${rules.mappings.length === 0
  ? html`<p>No custom fields: e-mail, first name, last name, department and phone number only.</p>`
  : html`<table><thead><tr><th>SCIM attribute</th><th>Custom field</th></tr></thead><tbody>${rules.mappings.map((m) => html`<tr><td><code>${m.scimPath}</code></td><td>${m.customField}</td></tr>`)}</tbody></table>`}
<dl class="values">
<div><dt>Group Name</dt><dd>${rules.targetGroup ?? 'None: users without a group appear under People'}</dd></div>
<div><dt>Group By</dt><dd>${GROUP_BY[rules.groupingCriteria]}${rules.groupingCriteria === 'customField' ? html`: ${rules.groupByField ?? 'a deleted custom field'}` : ''}</dd></div>
<div><dt>When the identity provider deletes a user</dt><dd>${DELETES[rules.deletePolicy]}</dd></div>
<div><dt>Existing target users with the same e-mail</dt><dd id="take-over">${rules.takeOverExisting ? 'Taken over' : 'Left as they are; the SCIM user is reported as a conflict'}</dd></div>
<div><dt>Field precedence</dt><dd id="precedence">${String(rules.precedence)}<br><span class="hint">A person several SCIM settings send shows the fields of the setting with the lowest number (equal: the older setting).</span></dd></div>
</dl>
<div class="actions"><a class="btn secondary" href="/admin/resources/ScimSetting/records/${s.id}/edit">Edit the rules</a></div>
</section>`;
}
