import { TARGET_USER_FIELDS, type MappedTargetUser } from './mapped-target-user';

const NO_CUSTOM_FIELDS: Record<string, string> = {};

const customValue = (fields: Record<string, string>, key: string) => (Object.hasOwn(fields, key) ? fields[key] : undefined);

/**
 * Names of the fields that differ, for the sync activity log, which records names and never
 * values. Comparison is exact, so a case-only change (dept123 → Dept123) is listed. For a new
 * target user (no `before`) every field with a value is listed, and `active` always.
 */
export function changedFields(before: MappedTargetUser | null, after: MappedTargetUser): string[] {
  const changed: string[] = TARGET_USER_FIELDS.filter((name) =>
    before === null ? name === 'active' || after[name] !== null : before[name] !== after[name],
  );
  const beforeCustom = before?.customFields ?? NO_CUSTOM_FIELDS;
  const keys = new Set([...Object.keys(beforeCustom), ...Object.keys(after.customFields)]);
  for (const key of [...keys].sort()) {
    if (customValue(beforeCustom, key) !== customValue(after.customFields, key)) changed.push(`customFields.${key}`);
  }
  return changed;
}
