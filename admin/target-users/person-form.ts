import type { ConsoleFields } from '../../src/store/target-user-edits';

type Payload = Record<string, unknown>;
export type FormErrors = Record<string, { message: string }>;

/** The fields an admin types for a console-managed person, in the form's order. */
export const PERSON_FIELDS = ['email', 'firstName', 'lastName', 'department', 'title', 'phoneNumber'] as const;

/** An address a message can go to: something@something.something, no spaces (as SCIM userNames are read, src/mapping/address.ts). */
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CUSTOM = 'customFields.';
const MANUAL_GROUP = /^manualGroupIds\.(\d+)$/;

/** A typed value: trimmed, and nothing typed is null (the stored "no value"). */
const typed = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

export interface PersonForm {
  fields: ConsoleFields;
  manualGroupIds: string[];
  errors: FormErrors;
}

/**
 * The New and Edit forms of a target user as posted by AdminJS (flat: `customFields.office`,
 * `manualGroupIds.0`): only the company's custom fields are kept.
 */
export function readPersonForm(payload: Payload, customFieldKeys: ReadonlySet<string>): PersonForm {
  const errors: FormErrors = {};
  const email = typed(payload.email);
  if (email === null) errors.email = { message: 'Enter the e-mail address.' };
  else if (!ADDRESS.test(email)) errors.email = { message: 'Enter a valid e-mail address, like name@example.com.' };
  const customFields = Object.fromEntries(
    Object.entries(payload).flatMap(([path, value]) => {
      const key = path.startsWith(CUSTOM) ? path.slice(CUSTOM.length) : null;
      const text = typed(value);
      return key !== null && customFieldKeys.has(key) && text !== null ? [[key, text]] : [];
    }),
  );
  return {
    fields: {
      email: email ?? '',
      firstName: typed(payload.firstName),
      lastName: typed(payload.lastName),
      department: typed(payload.department),
      title: typed(payload.title),
      phoneNumber: typed(payload.phoneNumber),
      customFields,
    },
    manualGroupIds: manualGroupsOf(payload),
    errors,
  };
}

/** `manualGroupIds.0`, `manualGroupIds.1`, … in order; none when the form emptied the list. */
export function manualGroupsOf(payload: Payload): string[] {
  return Object.entries(payload)
    .flatMap(([path, id]) => {
      const index = MANUAL_GROUP.exec(path)?.[1];
      return index === undefined ? [] : [[Number(index), String(id)] as const];
    })
    .sort(([a], [b]) => a - b)
    .map(([, id]) => id);
}

/**
 * The fields a form changed on a person a SCIM setting sends: its page shows them read-only, so
 * a post that changes one was not made by that page, and is refused rather than half applied.
 */
export function changedManagedFields(payload: Payload, stored: Payload): string[] {
  const paths = [...PERSON_FIELDS, ...Object.keys(payload).filter((path) => path.startsWith(CUSTOM))];
  return paths.filter((path) => Object.hasOwn(payload, path) && typed(payload[path]) !== typed(stored[path]));
}
