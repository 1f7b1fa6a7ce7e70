import { Types } from 'mongoose';
import { validateMappingPath } from '../../../src/mapping';
import { COMMON_SCIM_ATTRIBUTES } from '../../../admin/scim-settings/common-attributes';
import { readSettingForm, rulesChanged, validateSettingForm, type SettingFormValues, type SettingRulesInput } from '../../../admin/scim-settings/setting-form';
import { settingFormBody } from '../../../admin/pages/setting-form-page';

const office = new Types.ObjectId().toHexString();
const location = new Types.ObjectId().toHexString();
const group = new Types.ObjectId().toHexString();
const known = { customFieldIds: new Set([office, location]), targetGroupIds: new Set([group]) };
const base = { name: 'Entra ID', groupingCriteria: 'none', deletePolicy: 'markDeleted' };

describe('SCIM setting form', () => {
  it('offers only attributes that validate as mapping paths', () => {
    for (const { path } of COMMON_SCIM_ATTRIBUTES) expect([path, validateMappingPath(path)]).toEqual([path, undefined]);
  });

  it('offers the manager and organisation paths the IdP guides send, OneLogin’s managerId too', () => {
    const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    expect(COMMON_SCIM_ATTRIBUTES.map((a) => a.path)).toEqual(
      expect.arrayContaining(['manager.value', 'manager.managerId', 'manager.displayName', 'organization', 'division', 'department'].map((path) => `${enterprise}:${path}`)),
    );
  });

  it('pairs repeated path and field inputs into rows and drops empty rows', () => {
    const values = readSettingForm({ ...base, scimPath: [' title ', '', 'nickName'], customFieldId: [office, '', ''] });
    expect(values.mappings).toEqual([
      { scimPath: 'title', customFieldId: office },
      { scimPath: 'nickName', customFieldId: '' },
    ]);
    expect(readSettingForm({ ...base, scimPath: 'title', customFieldId: office }).mappings).toHaveLength(1);
  });

  it('accepts a valid setting, with group by on a mapped custom field', () => {
    const result = validateSettingForm(
      readSettingForm({ ...base, scimPath: 'addresses[type eq "work"].locality', customFieldId: location, targetGroupId: group, groupingCriteria: 'customField', groupByCustomFieldId: location }),
      known,
    );
    expect(result).toEqual({
      ok: true,
      setting: {
        name: 'Entra ID',
        fieldMappings: [{ scimPath: 'addresses[type eq "work"].locality', customFieldId: location }],
        targetGroupId: group,
        groupingCriteria: 'customField',
        groupByCustomFieldId: location,
        deletePolicy: 'markDeleted',
      },
    });
  });

  it('reports each problem on the field it belongs to', () => {
    const result = validateSettingForm(
      readSettingForm({
        name: '',
        scimPath: ['name.', 'title', 'title'],
        customFieldId: [office, new Types.ObjectId().toHexString(), ''],
        targetGroupId: new Types.ObjectId().toHexString(),
        groupingCriteria: 'customField',
        deletePolicy: 'shred',
      }),
      known,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.name).toBeDefined();
    expect(result.errors.mappings?.[0]).toMatch(/not a valid SCIM attribute path/);
    expect(result.errors.mappings?.[1]).toMatch(/does not exist in the company/);
    expect(result.errors.mappings?.[2]).toMatch(/Choose the custom field/);
    expect(result.errors.targetGroupId).toMatch(/does not exist/);
    expect(result.errors.groupByCustomFieldId).toMatch(/Choose the custom field/);
    expect(result.errors.deletePolicy).toBeDefined();
  });

  it('ignores a stale group-by field when grouping is not by custom field', () => {
    const result = validateSettingForm(readSettingForm({ ...base, groupingCriteria: 'department', groupByCustomFieldId: office }), known);
    expect(result.ok && result.setting.groupByCustomFieldId).toBeNull();
  });
});

describe('SCIM setting form page', () => {
  const costCenter = new Types.ObjectId().toHexString();
  const choices = {
    customFields: [
      { id: costCenter, name: 'Cost center', key: 'cost_center' },
      { id: location, name: 'Location', key: 'location' },
      { id: office, name: 'Office', key: 'office' },
    ],
    targetGroups: [],
  };
  const page = (values: Partial<SettingFormValues>) =>
    settingFormBody({
      action: '/admin/x/scim-settings/new',
      csrf: 'token',
      values: { ...readSettingForm(base), ...values },
      errors: {},
      choices,
      companyName: 'Acme Ltd',
      isEdit: false,
    }).value;
  /** The group-by list: the field's options, and whether the note that none is mapped shows. */
  const groupBy = (body: string) => ({
    options: [...(/<select name="groupByCustomFieldId"[^>]*>(.*?)<\/select>/s.exec(body)?.[1] ?? '').matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map(([, id, name]) => [id, name]),
    noneMappedNote: /<p class="hint" id="group-by-none">/.test(body),
  });

  it('offers group by only the custom fields mapped on the first page, each once, by name', () => {
    const body = page({ mappings: [{ scimPath: 'title', customFieldId: office }, { scimPath: 'nickName', customFieldId: location }, { scimPath: 'locale', customFieldId: office }] });
    expect(groupBy(body)).toEqual({ options: [['', 'Choose a mapped custom field'], [location, 'Location'], [office, 'Office']], noneMappedNote: false });
    // Every mapping row (three, and the template of a new one) still offers every custom field of the company.
    expect(body.match(/<option value="[^"]*"[^>]*>Cost center</g)).toHaveLength(4);
  });

  it('says so when no custom field is mapped, and lists none', () => {
    for (const mappings of [[], [{ scimPath: 'title', customFieldId: '' }]]) {
      const body = page({ mappings, groupingCriteria: 'customField' });
      expect(groupBy(body)).toEqual({ options: [['', 'Choose a mapped custom field']], noneMappedNote: true });
      expect(body).toContain('No custom field is mapped yet: map one under Map Fields on the first page');
    }
  });

  it('keeps the group-by choice selected while its field is mapped', () => {
    const body = page({ mappings: [{ scimPath: 'title', customFieldId: office }], groupingCriteria: 'customField', groupByCustomFieldId: office });
    expect(body).toContain(`<option value="${office}" selected>Office</option></select>`);
  });
});

describe('rules changes', () => {
  const rules: SettingRulesInput = {
    name: 'Okta',
    fieldMappings: [{ scimPath: 'title', customFieldId: office }, { scimPath: 'nickName', customFieldId: office }],
    targetGroupId: null,
    groupingCriteria: 'department',
    groupByCustomFieldId: null,
    deletePolicy: 'markDeleted',
  };

  it('re-syncs for mappings (order included), target group and grouping, not for name or delete policy', () => {
    expect(rulesChanged(rules, { ...rules, name: 'Okta prod', deletePolicy: 'remove' })).toBe(false);
    expect(rulesChanged(rules, { ...rules, fieldMappings: [...rules.fieldMappings].reverse() })).toBe(true);
    expect(rulesChanged(rules, { ...rules, fieldMappings: rules.fieldMappings.slice(1) })).toBe(true);
    expect(rulesChanged(rules, { ...rules, targetGroupId: group })).toBe(true);
    expect(rulesChanged(rules, { ...rules, groupingCriteria: 'idpGroups' })).toBe(true);
    expect(rulesChanged(rules, { ...rules, groupingCriteria: 'customField', groupByCustomFieldId: office })).toBe(true);
  });
});
