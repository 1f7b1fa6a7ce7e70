import { validateMappingPath } from '../../src/mapping';
import { DELETE_POLICIES, GROUPING_CRITERIA, type DeletePolicy, type GroupingCriteria } from '../../src/models/scim-setting';

/** The SCIM setting form as posted, kept as typed (the checkbox as ticked) so the form can be shown again. */
export interface SettingFormValues {
  name: string;
  mappings: { scimPath: string; customFieldId: string }[];
  targetGroupId: string;
  groupingCriteria: string;
  groupByCustomFieldId: string;
  deletePolicy: string;
  takeOverExisting: boolean;
  precedence: string;
}

/** A setting's rules with ids as hex strings: what the form saves and what decides a re-sync. */
export interface SettingRulesInput {
  name: string;
  fieldMappings: { scimPath: string; customFieldId: string }[];
  targetGroupId: string | null;
  groupingCriteria: GroupingCriteria;
  groupByCustomFieldId: string | null;
  deletePolicy: DeletePolicy;
  takeOverExisting: boolean;
  precedence: number;
}

export interface SettingFormErrors {
  name?: string;
  /** Per mapping row, in the order of `values.mappings`. */
  mappings?: Array<string | undefined>;
  targetGroupId?: string;
  groupingCriteria?: string;
  groupByCustomFieldId?: string;
  deletePolicy?: string;
  precedence?: string;
}

export type SettingFormResult = { ok: true; setting: SettingRulesInput } | { ok: false; values: SettingFormValues; errors: SettingFormErrors };

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => (typeof v === 'string' ? v : ''));
const one = (value: unknown): string => list(value)[0]?.trim() ?? '';

/**
 * Reads the urlencoded body; mapping rows with neither a path nor a field are dropped. The
 * take-over checkbox comes with a hidden field of the same name, so an unticked box still says
 * "false"; a body without either field (not posted by this form) gets the defaults, as it does
 * for the radio choices.
 */
export function readSettingForm(body: Record<string, unknown>): SettingFormValues {
  const paths = list(body.scimPath);
  const fields = list(body.customFieldId);
  const rows = Array.from({ length: Math.max(paths.length, fields.length) }, (_, i) => ({ scimPath: (paths[i] ?? '').trim(), customFieldId: (fields[i] ?? '').trim() }));
  return {
    name: one(body.name),
    mappings: rows.filter((row) => row.scimPath !== '' || row.customFieldId !== ''),
    targetGroupId: one(body.targetGroupId),
    groupingCriteria: one(body.groupingCriteria) || 'none',
    groupByCustomFieldId: one(body.groupByCustomFieldId),
    deletePolicy: one(body.deletePolicy) || 'markDeleted',
    takeOverExisting: body.takeOverExisting === undefined || list(body.takeOverExisting).includes('true'),
    precedence: body.precedence === undefined ? '1' : one(body.precedence),
  };
}

const isOneOf = <T extends string>(options: readonly T[], value: string): value is T => (options as readonly string[]).includes(value);

/**
 * Checks the form against the company's custom fields and target groups; every problem is a
 * sentence for the field it belongs to, so the admin sees it on the form.
 */
export function validateSettingForm(values: SettingFormValues, known: { customFieldIds: ReadonlySet<string>; targetGroupIds: ReadonlySet<string> }): SettingFormResult {
  const errors: SettingFormErrors = {};
  if (values.name === '') errors.name = 'Enter a name for the SCIM setting.';
  else if (values.name.length > 200) errors.name = 'The name can be at most 200 characters long.';

  const rowErrors = values.mappings.map(({ scimPath, customFieldId }) => {
    if (scimPath === '') return 'Enter the SCIM attribute this custom field is filled from.';
    const pathProblem = validateMappingPath(scimPath);
    if (pathProblem !== undefined) return pathProblem;
    if (customFieldId === '') return 'Choose the custom field this attribute fills.';
    if (!known.customFieldIds.has(customFieldId)) return 'This custom field does not exist in the company. Create it under Custom Fields first.';
    return undefined;
  });
  if (rowErrors.some((e) => e !== undefined)) errors.mappings = rowErrors;

  if (values.targetGroupId !== '' && !known.targetGroupIds.has(values.targetGroupId)) errors.targetGroupId = 'This target group does not exist in the company.';
  const groupingCriteria = isOneOf(GROUPING_CRITERIA, values.groupingCriteria) ? values.groupingCriteria : undefined;
  if (!groupingCriteria) errors.groupingCriteria = 'Choose how users are grouped.';
  if (values.groupingCriteria === 'customField') {
    if (values.groupByCustomFieldId === '') errors.groupByCustomFieldId = 'Choose the custom field whose value names the group.';
    else if (!values.mappings.some((m) => m.customFieldId === values.groupByCustomFieldId)) {
      errors.groupByCustomFieldId = 'Group by needs a custom field mapped on the first page (Map Fields).';
    }
  }
  const deletePolicy = isOneOf(DELETE_POLICIES, values.deletePolicy) ? values.deletePolicy : undefined;
  if (!deletePolicy) errors.deletePolicy = 'Choose what deleting a user in the identity provider does.';
  // Digits only: the model stores whole numbers 0–1000, and "1e2", "+5" or "2.0" are not what an admin means by an order.
  const precedence = /^\d{1,4}$/.test(values.precedence) ? Number(values.precedence) : NaN;
  if (values.precedence === '') errors.precedence = 'Enter a number from 0 to 1000.';
  else if (!(precedence <= 1000)) errors.precedence = 'Field precedence is a whole number from 0 to 1000.';

  if (Object.keys(errors).length > 0 || !groupingCriteria || !deletePolicy) return { ok: false, values, errors };
  return {
    ok: true,
    setting: {
      name: values.name,
      fieldMappings: values.mappings,
      targetGroupId: values.targetGroupId || null,
      groupingCriteria,
      groupByCustomFieldId: groupingCriteria === 'customField' ? values.groupByCustomFieldId : null,
      deletePolicy,
      takeOverExisting: values.takeOverExisting,
      precedence,
    },
  };
}

/**
 * Whether saving changes how existing users are projected, so they must be re-projected:
 * mappings (their order too: the first mapping with a value wins), the target group, the
 * grouping criteria, take-over (who is taken over or left as a conflict) and the precedence
 * (whose fields a person several settings send shows). The name and the delete policy change
 * nothing already projected.
 */
export function rulesChanged(before: SettingRulesInput, after: SettingRulesInput): boolean {
  const mappings = (s: SettingRulesInput) => JSON.stringify(s.fieldMappings.map((m) => [m.scimPath, m.customFieldId]));
  return (
    mappings(before) !== mappings(after) ||
    before.targetGroupId !== after.targetGroupId ||
    before.groupingCriteria !== after.groupingCriteria ||
    before.groupByCustomFieldId !== after.groupByCustomFieldId ||
    before.takeOverExisting !== after.takeOverExisting ||
    before.precedence !== after.precedence
  );
}
