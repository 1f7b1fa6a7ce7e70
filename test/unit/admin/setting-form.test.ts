import { Types } from 'mongoose';
import { validateMappingPath } from '../../../src/mapping';
import { COMMON_SCIM_ATTRIBUTES } from '../../../admin/scim-settings/common-attributes';
import { readSettingForm, rulesChanged, validateSettingForm, type SettingRulesInput } from '../../../admin/scim-settings/setting-form';

const office = new Types.ObjectId().toHexString();
const location = new Types.ObjectId().toHexString();
const group = new Types.ObjectId().toHexString();
const known = { customFieldIds: new Set([office, location]), targetGroupIds: new Set([group]) };
const base = { name: 'Entra ID', groupingCriteria: 'none', deletePolicy: 'markDeleted' };

describe('SCIM setting form', () => {
  it('offers only attributes that validate as mapping paths', () => {
    for (const { path } of COMMON_SCIM_ATTRIBUTES) expect([path, validateMappingPath(path)]).toEqual([path, undefined]);
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
