import { DELETE_POLICIES } from '../../src/models/scim-setting';
import { COMMON_SCIM_ATTRIBUTES } from '../scim-settings/common-attributes';
import type { SettingFormErrors, SettingFormValues } from '../scim-settings/setting-form';
import type { FormChoices } from '../scim-settings/settings-service';
import { FORM_TOKEN_FIELD } from '../security/form-token';
import { html, type Html } from './html';

export interface SettingFormPage {
  action: string;
  csrf: string;
  values: SettingFormValues;
  errors: SettingFormErrors;
  choices: FormChoices;
  companyName: string;
  isEdit: boolean;
}

const DELETE_POLICY_LABELS: Record<(typeof DELETE_POLICIES)[number], string> = {
  markDeleted: 'Keep the target user, marked as deleted (recommended: history and reports stay complete)',
  deactivate: 'Keep the target user as inactive',
  remove: 'Remove the target user',
};

const error = (message: string | undefined) => (message ? html`<p class="error" role="alert">${message}</p>` : '');

function fieldOptions(choices: FormChoices, selected: string, placeholder: string): Html {
  return html`<option value="">${placeholder}</option>${choices.customFields.map((f) => html`<option value="${f.id}"${selected === f.id ? ' selected' : ''}>${f.name}</option>`)}`;
}

function mappingRow(choices: FormChoices, row: { scimPath: string; customFieldId: string }, message?: string): Html {
  return html`<div class="mapping"><div><input type="text" name="scimPath" list="scim-attributes" value="${row.scimPath}" placeholder="SCIM attribute, e.g. title" aria-label="SCIM attribute">${error(message)}</div>
<div><select name="customFieldId" aria-label="Custom field">${fieldOptions(choices, row.customFieldId, 'Choose a custom field')}</select></div></div>`;
}

function radio(name: string, value: string, checked: string, label: string, hint?: string): Html {
  return html`<label class="radio"><input type="radio" name="${name}" value="${value}"${checked === value ? ' checked' : ''}><span>${label}${hint ? html`<br><span class="hint">${hint}</span>` : ''}</span></label>`;
}

/** "SCIM Settings > + NEW" of the customer's docs: name, Map Fields, Group Settings; Save shows the token. */
export function settingFormBody(p: SettingFormPage): Html {
  const { values, errors, choices } = p;
  const rows = [...values.mappings, { scimPath: '', customFieldId: '' }, ...(values.mappings.length === 0 ? [{ scimPath: '', customFieldId: '' }] : [])];
  const hasErrors = Object.keys(errors).length > 0;
  return html`
${hasErrors ? html`<div class="banner error" role="alert">Nothing was saved. Correct the fields marked below.</div>` : ''}
${p.isEdit ? html`<div class="banner warn">Changing the field mappings, the target group or the grouping criteria re-synchronises the users this setting already brought in.</div>` : ''}
<form method="post" action="${p.action}" class="card">
<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${p.csrf}">
<p class="hint">Company: ${p.companyName}</p>
<label for="name">Name</label>
<input type="text" id="name" name="name" value="${values.name}" maxlength="200" placeholder="e.g. Entra ID" required>${error(errors.name)}

<h2>Map Fields <span class="hint">(optional)</span></h2>
<p class="hint">E-mail, first name, last name, department and phone number are always synchronised. To synchronise anything else, map a SCIM attribute to a custom field.
Choose a common attribute or type any SCIM path, such as <code>addresses[type eq "work"].locality</code>. No custom field yet? Create one under <a href="/admin/resources/CustomField">Custom Fields</a> (Target Users &gt; Edit Fields).</p>
<div class="mapping hint"><div>SCIM attribute</div><div>Custom field</div></div>
<div id="mapping-rows">${rows.map((row, i) => mappingRow(choices, row, errors.mappings?.[i]))}</div>
<template id="mapping-row-template">${mappingRow(choices, { scimPath: '', customFieldId: '' })}</template>
<button type="button" class="btn secondary" data-add-mapping>+ Add mapping</button>
<datalist id="scim-attributes">${COMMON_SCIM_ATTRIBUTES.map((a) => html`<option value="${a.path}">${a.label}</option>`)}</datalist>

<h2>Group Settings</h2>
<label for="targetGroupId">Group Name</label>
<select id="targetGroupId" name="targetGroupId"><option value="">No group: users appear under People</option>${choices.targetGroups.map((g) => html`<option value="${g.id}"${values.targetGroupId === g.id ? ' selected' : ''}>${g.name}${g.source === 'manual' ? '' : ` (${g.source === 'idp' ? 'from the identity provider' : 'group by'})`}</option>`)}</select>
<p class="hint">Every user is synchronised to this group; with group by, it takes the users who have no value to group by. No group yet? Create one under <a href="/admin/resources/TargetGroup">Target Groups</a>.</p>${error(errors.targetGroupId)}
<label>Grouping Criteria</label>
${radio('groupingCriteria', 'none', values.groupingCriteria, 'No grouping', 'Everyone goes to the group chosen above.')}
${radio('groupingCriteria', 'department', values.groupingCriteria, 'Group by department', 'Each department becomes a target group (the identity provider’s "department" property).')}
${radio('groupingCriteria', 'customField', values.groupingCriteria, 'Group by a custom mapped field', 'Each value of the custom field chosen here becomes a target group, e.g. a location.')}
<div style="margin-left:24px"><select name="groupByCustomFieldId" aria-label="Custom field to group by">${fieldOptions(choices, values.groupByCustomFieldId, 'Choose a mapped custom field')}</select>${error(errors.groupByCustomFieldId)}</div>
${radio('groupingCriteria', 'idpGroups', values.groupingCriteria, 'Synchronise groups with the identity provider', 'Groups are mirrored from the identity provider with the same names and the same members.')}
${error(errors.groupingCriteria)}

<h2>When the identity provider deletes a user</h2>
${DELETE_POLICIES.map((policy) => radio('deletePolicy', policy, values.deletePolicy, DELETE_POLICY_LABELS[policy]))}
<p class="hint">Okta never deletes users (it deactivates them); Entra ID deletes them about 30 days after deactivating.</p>${error(errors.deletePolicy)}

<div class="actions"><button type="submit" class="btn">Save</button><a href="/admin/resources/ScimSetting">Cancel</a></div>
</form>`;
}
