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
        takeOverExisting: true,
        precedence: 1,
      },
    });
  });

  it('reads the take-over checkbox after its hidden "false", and defaults both new fields when the body has neither', () => {
    expect(readSettingForm(base)).toMatchObject({ takeOverExisting: true, precedence: '1' });
    expect(readSettingForm({ ...base, takeOverExisting: 'false' }).takeOverExisting).toBe(false);
    expect(readSettingForm({ ...base, takeOverExisting: ['false', 'true'] }).takeOverExisting).toBe(true);
    const result = validateSettingForm(readSettingForm({ ...base, takeOverExisting: 'false', precedence: ' 0 ' }), known);
    expect(result.ok && [result.setting.takeOverExisting, result.setting.precedence]).toEqual([false, 0]);
    expect(validateSettingForm(readSettingForm({ ...base, precedence: '1000' }), known)).toMatchObject({ ok: true, setting: { precedence: 1000 } });
  });

  it('takes field precedence only as a whole number from 0 to 1000, keeping what was typed', () => {
    for (const [typed, message] of [
      ['', 'Enter a number from 0 to 1000.'],
      ['1001', 'Field precedence is a whole number from 0 to 1000.'],
      ['-1', 'Field precedence is a whole number from 0 to 1000.'],
      ['2.5', 'Field precedence is a whole number from 0 to 1000.'],
      ['1e2', 'Field precedence is a whole number from 0 to 1000.'],
      ['ten', 'Field precedence is a whole number from 0 to 1000.'],
    ]) {
      const result = validateSettingForm(readSettingForm({ ...base, precedence: typed }), known);
      expect([typed, result.ok, !result.ok && result.errors, !result.ok && result.values.precedence]).toEqual([typed, false, { precedence: message }, typed]);
    }
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
    otherSettings: [] as Array<{ name: string; precedence: number }>,
  };
  const page = (values: Partial<SettingFormValues>, more: Partial<Parameters<typeof settingFormBody>[0]> = {}) =>
    settingFormBody({
      action: '/admin/x/scim-settings/new',
      csrf: 'token',
      values: { ...readSettingForm(base), ...values },
      errors: {},
      choices,
      ...more,
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

  it('has the take-over checkbox ticked for a new setting, after a hidden "false", on the Group Settings page', () => {
    const body = page({});
    const stepTwo = body.slice(body.indexOf('<div data-step="2"'));
    expect(stepTwo).toContain('<input type="hidden" name="takeOverExisting" value="false">\n<label class="radio"><input type="checkbox" id="takeOverExisting" name="takeOverExisting" value="true" checked>');
    expect(stepTwo).toContain('Take over existing target users with the same e-mail');
    expect(stepTwo).toContain('Off: target users added by hand stay as they are, and the SCIM user is reported as a conflict on this page and in the sync activity.');
    expect(page({ takeOverExisting: false })).not.toMatch(/name="takeOverExisting" value="true" checked/);
  });

  it('shows field precedence as typed with its error, and the company’s other settings in their order', () => {
    expect(page({})).toContain('<input type="number" id="precedence" name="precedence" value="1" min="0" max="1000" step="1" required>');
    expect(page({})).toContain('Acme Ltd has no other SCIM setting.');
    const body = page(
      { precedence: '1001' },
      { errors: { precedence: 'Field precedence is a whole number from 0 to 1000.' }, choices: { ...choices, otherSettings: [{ name: 'Okta', precedence: 0 }, { name: 'Entra <ID>', precedence: 5 }] } },
    );
    expect(body).toContain('name="precedence" value="1001" min="0" max="1000" step="1" required aria-invalid="true">');
    expect(body).toContain('<p class="error" id="precedence-error" role="alert">Field precedence is a whole number from 0 to 1000.</p>');
    expect(body).toContain('The other SCIM settings of Acme Ltd, first to last: Okta <strong>0</strong> · Entra &#60;ID&#62; <strong>5</strong>');
    // The error is on the second page, so the form opens there.
    expect(body).toContain('<div data-step="2">');
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
    takeOverExisting: true,
    precedence: 1,
  };

  it('re-syncs for mappings (order included), target group, grouping, take-over and precedence, not for name or delete policy', () => {
    expect(rulesChanged(rules, { ...rules, name: 'Okta prod', deletePolicy: 'remove' })).toBe(false);
    expect(rulesChanged(rules, { ...rules, fieldMappings: [...rules.fieldMappings].reverse() })).toBe(true);
    expect(rulesChanged(rules, { ...rules, fieldMappings: rules.fieldMappings.slice(1) })).toBe(true);
    expect(rulesChanged(rules, { ...rules, targetGroupId: group })).toBe(true);
    expect(rulesChanged(rules, { ...rules, groupingCriteria: 'idpGroups' })).toBe(true);
    expect(rulesChanged(rules, { ...rules, groupingCriteria: 'customField', groupByCustomFieldId: office })).toBe(true);
    expect(rulesChanged(rules, { ...rules, takeOverExisting: false })).toBe(true);
    expect(rulesChanged(rules, { ...rules, precedence: 0 })).toBe(true);
  });
});
