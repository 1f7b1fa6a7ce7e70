import { DELETE_POLICIES } from '../../src/models/scim-setting';
import { COMMON_SCIM_ATTRIBUTES } from '../scim-settings/common-attributes';
import type { SettingFormErrors, SettingFormValues } from '../scim-settings/setting-form';
import type { FormChoices } from '../scim-settings/settings-service';
import { FORM_TOKEN_FIELD } from '../security/form-token';
import { html, type Html } from './html';

export interface SettingFormPage {
  action: string;
  /** Where "Preview changes" posts: only when editing a setting that already has users. */
  previewAction?: string;
  csrf: string;
  values: SettingFormValues;
  errors: SettingFormErrors;
  choices: FormChoices;
  companyName: string;
  isEdit: boolean;
  /** The preview of the values on the form, shown above Save. */
  preview?: Html;
}

const DELETE_POLICY_LABELS: Record<(typeof DELETE_POLICIES)[number], string> = {
  markDeleted: 'Keep the target user, marked as deleted (recommended: history and reports stay complete)',
  deactivate: 'Keep the target user as inactive',
  remove: 'Remove the target user',
};

const error = (id: string, message: string | undefined) => (message ? html`<p class="error" id="${id}" role="alert">${message}</p>` : '');
const invalid = (message: string | undefined) => (message ? html` aria-invalid="true"` : '');

type CustomFieldChoice = FormChoices['customFields'][number];

function fieldOptions(fields: readonly CustomFieldChoice[], selected: string, placeholder: string): Html {
  return html`<option value="">${placeholder}</option>${fields.map((f) => html`<option value="${f.id}"${selected === f.id ? ' selected' : ''}>${f.name}</option>`)}`;
}

/**
 * The custom fields the Map Fields rows choose, by name as every list of them: group by can use
 * no other. The page's script keeps the group-by list to the rows as they change (client-assets.ts).
 */
function mappedFields(choices: FormChoices, mappings: SettingFormValues['mappings']): CustomFieldChoice[] {
  const chosen = new Set(mappings.map((m) => m.customFieldId));
  return choices.customFields.filter((f) => chosen.has(f.id));
}

function mappingRow(choices: FormChoices, row: { scimPath: string; customFieldId: string }, index: number | null, message?: string): Html {
  const errorId = index === null ? '' : `mapping-error-${index}`;
  return html`<div class="mapping" data-row><div><input type="text" name="scimPath" list="scim-attributes" value="${row.scimPath}" placeholder="SCIM attribute, e.g. title" aria-label="SCIM attribute"${invalid(message)}>${error(errorId, message)}</div>
<div><select name="customFieldId" aria-label="Custom field">${fieldOptions(choices.customFields, row.customFieldId, 'Choose a custom field')}</select></div>
<button type="button" class="btn secondary icon" data-remove-row aria-label="Remove this mapping" title="Remove this mapping">×</button></div>`;
}

function radio(name: string, value: string, checked: string, label: string, hint?: string): Html {
  return html`<label class="radio"><input type="radio" name="${name}" value="${value}"${checked === value ? ' checked' : ''}><span>${label}${hint ? html`<br><span class="hint">${hint}</span>` : ''}</span></label>`;
}

const STEP_ONE_ERRORS: Array<keyof SettingFormErrors> = ['name', 'mappings'];

/**
 * "SCIM Settings > + NEW" as the customer's docs lay it out: the first page takes the name and
 * Map Fields, Next leads to the second, which takes Group Name, Group By and whether groups are
 * synchronised with the identity provider (then what deletes do, take-over and field precedence),
 * and Save shows the token. Both pages are steps of one form, so going back keeps what was typed
 * and the server always receives the whole setting. The take-over checkbox follows a hidden
 * "false" of the same name: that is all an unticked box posts. Without scripts both steps show.
 * A form with errors opens on the first step that has one.
 */
export function settingFormBody(p: SettingFormPage): Html {
  const { values, errors, choices } = p;
  const rows = values.mappings.length > 0 ? values.mappings : [{ scimPath: '', customFieldId: '' }];
  const mapped = mappedFields(choices, values.mappings);
  const hasErrors = Object.keys(errors).length > 0;
  const step = hasErrors && !STEP_ONE_ERRORS.some((key) => errors[key] !== undefined) ? 2 : p.preview ? 2 : 1;
  const fieldsLink = html`<a href="/admin/resources/CustomField" target="_blank" rel="noopener">Target Users &gt; Settings &gt; Edit Fields</a>`;
  return html`
${hasErrors ? html`<div class="banner error" role="alert">Nothing was saved. Correct the fields marked below.</div>` : ''}
${p.isEdit && !p.preview ? html`<div class="banner warn">Changing the field mappings, the group, the grouping, take-over or field precedence re-synchronises the users this setting already brought in. <strong>Preview changes</strong> on the second page shows what that does before you save.</div>` : ''}
<form method="post" action="${p.action}" class="card" id="setting-form">
<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${p.csrf}">
<ol class="steps"><li data-step-mark="1"${step === 1 ? html` class="current"` : ''}>1. Name and Map Fields</li><li data-step-mark="2"${step === 2 ? html` class="current"` : ''}>2. Group Settings</li></ol>
<p class="hint">Company: ${p.companyName}</p>

<div data-step="1"${step === 1 ? '' : ' hidden'}>
<label for="name" class="required">Name</label>
<input type="text" id="name" name="name" value="${values.name}" maxlength="200" placeholder="e.g. Entra ID" required${invalid(errors.name)}>${error('name-error', errors.name)}

<h2>Map Fields <span class="hint">(optional)</span></h2>
<p class="hint">E-mail, first name, last name, department and phone number are always synchronised. To synchronise anything else, map a SCIM attribute to a custom field: choose a common attribute or type any SCIM path, such as <code>addresses[type eq "work"].locality</code>.
No custom field yet? Create one under ${fieldsLink} (opens in a new tab), then reload this page.</p>
<div class="mapping head"><div>SCIM attribute</div><div>Custom field</div><div></div></div>
<div id="mapping-rows">${rows.map((row, i) => mappingRow(choices, row, i, errors.mappings?.[i]))}</div>
<template id="mapping-row-template">${mappingRow(choices, { scimPath: '', customFieldId: '' }, null)}</template>
<button type="button" class="btn secondary small" data-add-row="mapping-row-template" data-rows="mapping-rows">+ Add mapping</button>
<datalist id="scim-attributes">${COMMON_SCIM_ATTRIBUTES.map((a) => html`<option value="${a.path}">${a.label}</option>`)}</datalist>
<div class="actions"><button type="button" class="btn" data-step-to="2">Next</button><a href="/admin/resources/ScimSetting">Cancel</a></div>
</div>

<div data-step="2"${step === 2 ? '' : ' hidden'}>
<label for="targetGroupId">Group Name</label>
<select id="targetGroupId" name="targetGroupId"${invalid(errors.targetGroupId)}><option value="">No group: users appear under People</option>${choices.targetGroups.map((g) => html`<option value="${g.id}"${values.targetGroupId === g.id ? ' selected' : ''}>${g.name}${g.source === 'manual' ? '' : ` (${g.source === 'idp' ? 'from the identity provider' : 'group by'})`}</option>`)}</select>
<p class="hint">Every user is synchronised to this group; with group by, it takes the users who have no value to group by. No group yet? Create one under <a href="/admin/resources/TargetGroup" target="_blank" rel="noopener">Target Groups</a> (opens in a new tab).</p>${error('group-error', errors.targetGroupId)}

<label>Group By</label>
${radio('groupingCriteria', 'none', values.groupingCriteria, 'No group by', 'Everyone goes to the group chosen above. Leave it like this to synchronise users to only one group.')}
${radio('groupingCriteria', 'department', values.groupingCriteria, 'Department', 'Each department becomes a target group (the identity provider’s "department" property).')}
${radio('groupingCriteria', 'customField', values.groupingCriteria, 'A custom mapped field', 'Each value of the custom field chosen here becomes a target group, e.g. a location.')}
<div class="indented"><select name="groupByCustomFieldId" aria-label="Custom field to group by" data-choices-from="customFieldId" data-none-note="group-by-none"${invalid(errors.groupByCustomFieldId)}>${fieldOptions(mapped, values.groupByCustomFieldId, 'Choose a mapped custom field')}</select>
<p class="hint" id="group-by-none"${mapped.length > 0 ? ' hidden' : ''}>No custom field is mapped yet: map one under Map Fields on the first page to group by its values.</p>${error('group-by-error', errors.groupByCustomFieldId)}</div>
${radio('groupingCriteria', 'idpGroups', values.groupingCriteria, 'Synchronise groups with the identity provider', 'Groups are mirrored from the identity provider with the same names and exactly the same members.')}
${error('grouping-error', errors.groupingCriteria)}

<h2>When the identity provider deletes a user</h2>
${DELETE_POLICIES.map((policy) => radio('deletePolicy', policy, values.deletePolicy, DELETE_POLICY_LABELS[policy]))}
<p class="hint">Okta never deletes users (it deactivates them); Entra ID deletes them about 30 days after deactivating.</p>${error('delete-error', errors.deletePolicy)}

<h2>When a person is already a target user</h2>
<input type="hidden" name="takeOverExisting" value="false">
<label class="radio"><input type="checkbox" id="takeOverExisting" name="takeOverExisting" value="true"${values.takeOverExisting ? ' checked' : ''}><span>Take over existing target users with the same e-mail<br><span class="hint">Off: target users added by hand stay as they are, and the SCIM user is reported as a conflict on this page and in the sync activity.</span></span></label>

<label for="precedence" class="required">Field precedence</label>
<input type="number" id="precedence" name="precedence" value="${values.precedence}" min="0" max="1000" step="1" required${invalid(errors.precedence)}>
<p class="hint">A person several SCIM settings send shows the fields of the setting with the lowest number (equal: the older setting).</p>
<p class="hint" id="precedence-order">${choices.otherSettings.length === 0
    ? `${p.companyName} has no other SCIM setting.`
    : html`The other SCIM settings of ${p.companyName}, first to last: ${choices.otherSettings.map((s, i) => html`${i === 0 ? '' : ' · '}${s.name} <strong>${String(s.precedence)}</strong>`)}`}</p>${error('precedence-error', errors.precedence)}
${p.preview ?? ''}
<div class="actions"><button type="button" class="btn secondary" data-step-to="1">Back</button><span class="spacer"></span>
${p.previewAction ? html`<button type="submit" class="btn secondary" formaction="${p.previewAction}" formnovalidate>Preview changes</button>` : ''}
<button type="submit" class="btn">Save</button></div>
</div>
</form>`;
}
