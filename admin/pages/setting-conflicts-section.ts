import type { ConflictReason } from '../../src/models/target-user-conflict';
import type { SettingConflicts } from '../scim-settings/setting-conflicts';
import { formatTime } from './format';
import { html, type Html } from './html';

/** Why a SCIM user is not (wholly) on a target user, in the admin's words. */
export const CONFLICT_REASONS: Record<ConflictReason, string> = {
  takeOverOff: 'The address belongs to a target user added in the console, and this setting does not take those over: the SCIM user is not synchronised. Turn on taking over and re-sync, or change the address.',
  emailHeld: 'Its new address belongs to another target user: its own target user keeps the old address until one of the two changes.',
};

/**
 * "Conflicts": the setting's SCIM users that its projection could not place without merging two
 * people, how many, and the latest few (the sync activity lists every one).
 */
export function conflictsSection(id: string, conflicts: SettingConflicts): Html {
  const activity = `/admin/resources/SyncActivity?filters.scimSettingId=${id}&filters.outcome=conflict`;
  return html`<section class="card" id="conflicts"><h2>Conflicts</h2>
<p><span data-figure="conflicts">${conflicts.count.toLocaleString('en')}</span> SCIM ${conflicts.count === 1 ? 'user is' : 'users are'} not synchronised as sent, because the address belongs to another target user. · <a href="${activity}">In the sync activity</a></p>
${conflicts.latest.length === 0
  ? ''
  : html`<table><thead><tr><th>SCIM user</th><th>Address</th><th>Held by</th><th>Why</th><th>Since</th></tr></thead><tbody>${conflicts.latest.map(
      (c) => html`<tr data-conflict="${c.scimUserId}"><td><code>${c.scimUserId}</code></td><td>${c.email}</td><td>${c.heldBy
        ? html`<a href="/admin/resources/TargetUser/records/${encodeURIComponent(c.heldBy.id)}/show">${c.heldBy.email ?? c.heldBy.id}</a>`
        : 'a target user since removed'}</td><td>${CONFLICT_REASONS[c.reason]}</td><td><time datetime="${c.at.toISOString()}">${formatTime(c.at)}</time></td></tr>`,
    )}</tbody></table>`}
</section>`;
}
