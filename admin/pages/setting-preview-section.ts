import type { GroupMovement, SettingPreview } from '../../src/mapping/preview';
import { fieldLabel } from '../scim-settings/field-labels';
import { html, type Html } from './html';

const SOURCE_LABELS: Record<GroupMovement['source'], string> = { manual: 'Manual', groupBy: 'Group by', idp: 'Mirrored from the IdP' };

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function groupNote(group: GroupMovement): Html | string {
  if (group.created) return html`<span class="badge primary">made on save</span>`;
  if (group.emptied) return html`<span class="badge danger">emptied</span>`;
  return '';
}

/**
 * The dry run of the rules on the form (src/mapping/preview.ts) above its Save button: how
 * many target users change and how, the groups that gain and lose members, and example users.
 * It plans what the setting's own rules make of its users; take-over and field precedence decide
 * between sources and persons, which it does not plan, so a change of them is named apart.
 */
export function previewSection(preview: SettingPreview, customFieldName: (key: string) => string | undefined, takeOverOrPrecedenceChanged: boolean): Html {
  const label = (field: string) => fieldLabel(field, customFieldName);
  const nothing = preview.changed + preview.created + preview.removed === 0;
  return html`<section class="preview" id="preview" aria-live="polite">
<h2>Preview: what saving these rules does</h2>
<div class="banner info">Nothing has been saved. Worked out from the SCIM data the identity provider last sent for ${plural(preview.scimUsers, 'user', 'users')}, the way the re-sync after saving projects them.</div>
${nothing
  ? html`<p id="preview-summary">No target user would change.</p>`
  : html`<dl class="values" id="preview-summary">
<div><dt>Target users that change</dt><dd><strong data-preview="changed">${preview.changed.toLocaleString('en')}</strong> of ${preview.scimUsers.toLocaleString('en')}</dd></div>
<div><dt>New target users</dt><dd data-preview="created">${preview.created.toLocaleString('en')}</dd></div>
<div><dt>Removed target users</dt><dd data-preview="removed">${preview.removed.toLocaleString('en')}</dd></div>
</dl>`}
${takeOverOrPrecedenceChanged ? html`<div class="banner warn spaced" id="preview-left-out">Take over existing target users and Field precedence are not part of this preview: the re-sync after saving applies their change to the people this setting already brought in.</div>` : ''}
${preview.unreadable > 0 ? html`<div class="banner warn spaced">${plural(preview.unreadable, 'user', 'users')} of this setting have stored data that cannot be read: their projection fails and their target users stay as they are (see Sync Activity).</div>` : ''}
${preview.fields.length > 0
  ? html`<h3>What changes</h3><table><thead><tr><th>Field</th><th class="number">Target users</th></tr></thead>
<tbody>${preview.fields.map((f) => html`<tr data-field="${f.field}" data-users="${f.users}"><td>${label(f.field)}</td><td class="number">${f.users.toLocaleString('en')}</td></tr>`)}</tbody></table>`
  : ''}
${preview.groups.length > 0
  ? html`<h3>Target groups</h3><table id="preview-groups"><thead><tr><th>Group</th><th>Source</th><th class="number">Gains</th><th class="number">Losses</th><th class="number">Members after</th><th></th></tr></thead>
<tbody>${preview.groups.map(
      (g) => html`<tr data-group="${g.name}" data-gains="${g.gains}" data-losses="${g.losses}" data-created="${String(g.created)}" data-emptied="${String(g.emptied)}"><td>${g.name}</td><td>${g.created ? 'New' : SOURCE_LABELS[g.source]}</td><td class="number gain">${g.gains > 0 ? `+${g.gains.toLocaleString('en')}` : '0'}</td>
<td class="number loss">${g.losses > 0 ? `−${g.losses.toLocaleString('en')}` : '0'}</td><td class="number">${g.membersAfter.toLocaleString('en')}</td><td>${groupNote(g)}</td></tr>`,
    )}</tbody></table>`
  : ''}
${preview.examples.length > 0
  ? html`<h3>Examples</h3><table><thead><tr><th>Target user</th><th>Field</th><th>Now</th><th>After saving</th></tr></thead>
<tbody>${preview.examples.map((e) =>
      e.kind === 'removed'
        ? html`<tr><td>${e.email ?? e.scimUserId}</td><td colspan="3">Removed (the identity provider deleted this user)</td></tr>`
        : e.changes.map(
            (c, i) => html`<tr>${i === 0 ? html`<td rowspan="${e.changes.length}">${e.email ?? e.scimUserId}${e.kind === 'created' ? html`<br><span class="hint">new target user</span>` : ''}</td>` : ''}
<td>${label(c.field)}</td><td>${c.before ?? '—'}</td><td>${c.after ?? '—'}</td></tr>`,
          ),
    )}</tbody></table>`
  : ''}
</section>`;
}
