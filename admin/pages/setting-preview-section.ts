import { isNewTargetUser, type FieldChange, type GroupMovement, type PersonChange, type SettingPreview } from '../../src/mapping/preview';
import type { TargetUserStatus } from '../../src/models/target-user';
import { fieldLabel } from '../scim-settings/field-labels';
import { CONFLICT_REASONS } from './setting-conflicts-section';
import { html, type Html } from './html';

const SOURCE_LABELS: Record<GroupMovement['source'], string> = { manual: 'Manual', groupBy: 'Group by', idp: 'Mirrored from the IdP' };
const STATUS_LABELS: Record<TargetUserStatus, string> = { active: 'Active', inactive: 'Inactive', deleted: 'Deleted' };
const HINTS: Partial<Record<PersonChange['kind'], string>> = { created: 'new target user', tookOver: 'console-managed, taken over' };
/** Take-overs and conflicts listed by name; the counts say how many in all. */
const LISTED = 10;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const number = (n: number) => n.toLocaleString('en');

export interface PreviewNames {
  customField: (key: string) => string | undefined;
  /** A SCIM setting by id; null: the target user is console-managed. */
  setting: (id: string | null) => string;
}

function groupNote(group: GroupMovement): Html | string {
  if (group.created) return html`<span class="badge primary">made on save</span>`;
  if (group.emptied) return html`<span class="badge danger">emptied</span>`;
  return '';
}

/** A target user the re-sync would make has no page yet. */
const personLink = (id: string, email: string | null) => (isNewTargetUser(id) ? (email ?? '') : html`<a href="/admin/resources/TargetUser/records/${encodeURIComponent(id)}/show">${email ?? id}</a>`);

/**
 * The dry run of the form (src/mapping/preview.ts) above its Save button: what the re-sync after
 * saving does to the company's target users, with take-over and field precedence as on the form.
 * Counts, then what changes, which setting's fields show, statuses, target groups, take-overs,
 * conflicts and example target users. `data-` attributes carry the figures for tests.
 */
export function previewSection(preview: SettingPreview, names: PreviewNames): Html {
  const label = (field: string) => fieldLabel(field, names.customField);
  const value = (change: FieldChange, side: 'before' | 'after') => (change.field === 'managedBy' ? names.setting(change[side]) : (change[side] ?? '—'));
  const { conflicts } = preview;
  const nothing = preview.changed + preview.created + preview.removed + conflicts.appear.length + conflicts.resolved.length + preview.masked.length === 0;
  return html`<section class="preview" id="preview" aria-live="polite">
<h2>Preview: what saving these rules does</h2>
<div class="banner info">Nothing has been saved. Worked out from the SCIM data the identity provider last sent for ${plural(preview.scimUsers, 'user', 'users')}, the way the re-sync after saving places them on the company's target users: with take-over and field precedence as on this form, the company's other SCIM settings and target users as they are now.</div>
${nothing
  ? html`<p id="preview-summary">No target user would change.</p>`
  : html`<dl class="values" id="preview-summary">
<div><dt>Target users that change</dt><dd><strong data-preview="changed">${number(preview.changed)}</strong></dd></div>
<div><dt>New target users</dt><dd data-preview="created">${number(preview.created)}</dd></div>
<div><dt>Removed target users</dt><dd data-preview="removed">${number(preview.removed)}</dd></div>
<div><dt>Console-managed target users taken over</dt><dd data-preview="took-over">${number(preview.tookOver.length)}</dd></div>
<div><dt>Conflicts that appear</dt><dd data-preview="conflicts-appear">${number(conflicts.appear.length)}</dd></div>
<div><dt>Conflicts resolved</dt><dd data-preview="conflicts-resolved">${number(conflicts.resolved.length)}</dd></div>
</dl>`}
${preview.unreadable > 0 ? html`<div class="banner warn spaced">${plural(preview.unreadable, 'user', 'users')} of this setting have stored data that cannot be read: their projection fails and their target users stay as they are (see Sync Activity).</div>` : ''}
${preview.fields.length > 0
  ? html`<h3>What changes</h3><table><thead><tr><th>Field</th><th class="number">Target users</th></tr></thead>
<tbody>${preview.fields.map((f) => html`<tr data-field="${f.field}" data-users="${f.users}"><td>${label(f.field)}</td><td class="number">${number(f.users)}</td></tr>`)}</tbody></table>`
  : ''}
${preview.masked.length > 0
  ? html`<div id="preview-masked"><p class="hint">Changes this setting makes that do not show, because another SCIM setting's fields come first for these target users (or another source keeps them active):</p>
<table><thead><tr><th>Field</th><th class="number">Target users</th></tr></thead>
<tbody>${preview.masked.map((f) => html`<tr data-masked-field="${f.field}" data-users="${f.users}"><td>${label(f.field)}</td><td class="number">${number(f.users)}</td></tr>`)}</tbody></table></div>`
  : ''}
${preview.managedBy.length > 0
  ? html`<h3>Managed by</h3><p class="hint">The SCIM setting whose fields a target user shows: the first active one in the company's order of SCIM settings.</p>
<table id="preview-managed-by"><thead><tr><th>Now</th><th>After saving</th><th class="number">Target users</th></tr></thead>
<tbody>${preview.managedBy.map((m) => html`<tr data-from="${names.setting(m.from)}" data-to="${names.setting(m.to)}" data-users="${m.users}"><td>${names.setting(m.from)}</td><td>${names.setting(m.to)}</td><td class="number">${number(m.users)}</td></tr>`)}</tbody></table>`
  : ''}
${preview.statuses.length > 0
  ? html`<h3>Status</h3><table id="preview-statuses"><thead><tr><th>Now</th><th>After saving</th><th class="number">Target users</th></tr></thead>
<tbody>${preview.statuses.map((s) => html`<tr data-from="${s.from}" data-to="${s.to}" data-users="${s.users}"><td>${STATUS_LABELS[s.from as TargetUserStatus] ?? s.from}</td><td>${STATUS_LABELS[s.to as TargetUserStatus] ?? s.to}</td><td class="number">${number(s.users)}</td></tr>`)}</tbody></table>`
  : ''}
${preview.groups.length > 0
  ? html`<h3>Target groups</h3><table id="preview-groups"><thead><tr><th>Group</th><th>Source</th><th class="number">Gains</th><th class="number">Losses</th><th class="number">Stay through another source or a manual group</th><th class="number">Members after</th><th></th></tr></thead>
<tbody>${preview.groups.map(
      (g) => html`<tr data-group="${g.name}" data-gains="${g.gains}" data-losses="${g.losses}" data-kept="${g.kept}" data-created="${String(g.created)}" data-emptied="${String(g.emptied)}"><td>${g.name}</td><td>${g.created ? 'New' : SOURCE_LABELS[g.source]}</td><td class="number gain">${g.gains > 0 ? `+${number(g.gains)}` : '0'}</td>
<td class="number loss">${g.losses > 0 ? `−${number(g.losses)}` : '0'}</td><td class="number">${number(g.kept)}</td><td class="number">${number(g.membersAfter)}</td><td>${groupNote(g)}</td></tr>`,
    )}</tbody></table>`
  : ''}
${takeOversAndConflicts(preview)}
${preview.examples.length > 0
  ? html`<h3>Examples</h3><table id="preview-examples"><thead><tr><th>Target user</th><th>Field</th><th>Now</th><th>After saving</th></tr></thead>
<tbody>${preview.examples.map((e) => exampleRows(e, label, value))}</tbody></table>`
  : ''}
</section>`;
}

function exampleRows(e: PersonChange, label: (field: string) => string, value: (change: FieldChange, side: 'before' | 'after') => string): Html {
  const who = html`${e.email ?? e.targetUserId}${HINTS[e.kind] ? html`<br><span class="hint">${HINTS[e.kind]}</span>` : ''}`;
  const attributes = html`data-example="${e.email ?? e.targetUserId}" data-kind="${e.kind}" data-fields="${e.changes.map((c) => c.field).join(' ')}" data-masked="${e.masked.join(' ')}"`;
  if (e.kind === 'removed') return html`<tr ${attributes}><td>${who}</td><td colspan="3">Removed (the identity provider deleted this user)</td></tr>`;
  const masked = e.masked.length > 0 ? html`<tr><td colspan="3" class="hint">Not shown: ${e.masked.map(label).join(', ')} from this setting; another SCIM setting's fields come first</td></tr>` : '';
  if (e.changes.length === 0) return html`<tr ${attributes}><td>${who}</td><td colspan="3" class="hint">Nothing that shows: ${e.masked.map(label).join(', ')} from this setting; another SCIM setting's fields come first</td></tr>`;
  const rows = e.changes.length + (e.masked.length > 0 ? 1 : 0);
  return html`${e.changes.map(
    (c, i) => html`<tr${i === 0 ? html` ${attributes}` : ''}>${i === 0 ? html`<td rowspan="${rows}">${who}</td>` : ''}<td>${label(c.field)}</td><td>${value(c, 'before')}</td><td>${value(c, 'after')}</td></tr>`,
  )}${masked}`;
}

function takeOversAndConflicts(preview: SettingPreview): Html {
  const { tookOver, conflicts } = preview;
  const more = (n: number) => (n > LISTED ? html`<p class="hint">and ${number(n - LISTED)} more.</p>` : '');
  const rows = [...conflicts.appear.slice(0, LISTED).map((c) => ({ ...c, change: 'appears' })), ...conflicts.resolved.slice(0, LISTED).map((c) => ({ ...c, change: 'resolved' }))];
  const unlisted = conflicts.appear.length + conflicts.resolved.length - rows.length;
  return html`${tookOver.length > 0
    ? html`<h3>Take-overs</h3><p class="hint">Target users added in the console that a SCIM user of this setting sends: they keep their manual groups and show this setting's fields.</p>
<table id="preview-take-overs"><thead><tr><th>Target user</th><th>SCIM user</th></tr></thead>
<tbody>${tookOver.slice(0, LISTED).map((t) => html`<tr data-take-over="${t.email ?? t.targetUserId}"><td>${personLink(t.targetUserId, t.email)}</td><td><code>${t.scimUserId}</code></td></tr>`)}</tbody></table>${more(tookOver.length)}`
    : ''}
${rows.length > 0
  ? html`<h3>Conflicts</h3><p class="hint">${plural(conflicts.stay, 'conflict stays', 'conflicts stay')} as it is.</p>
<table id="preview-conflicts"><thead><tr><th></th><th>SCIM user</th><th>Address</th><th>Held by</th><th>Why</th></tr></thead>
<tbody>${rows.map(
      (c) => html`<tr data-conflict="${c.change}" data-email="${c.email}"><td>${c.change === 'appears' ? html`<span class="badge danger">appears</span>` : html`<span class="badge success">resolved</span>`}</td><td><code>${c.scimUserId}</code></td><td>${c.email}</td>
<td>${personLink(c.heldBy, c.heldByEmail)}</td><td>${c.change === 'appears' ? CONFLICT_REASONS[c.reason] : 'Placed by the re-sync.'}</td></tr>`,
    )}</tbody></table>${unlisted > 0 ? html`<p class="hint">and ${number(unlisted)} more.</p>` : ''}`
  : ''}`;
}
