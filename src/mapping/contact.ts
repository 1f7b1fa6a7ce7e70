import { booleanValue, field, records, text, type JsonRecord } from './values';

interface Candidate {
  value: string;
  type: string | null;
  primary: boolean;
}

/** Elements of a multi-valued attribute that carry a value; empty ones are never chosen. */
function candidates(attribute: unknown): Candidate[] {
  return records(attribute).flatMap((element) => {
    const value = text(field(element, 'value'));
    if (value === null) return [];
    const type = text(field(element, 'type'));
    return [{ value, type: type?.toLowerCase() ?? null, primary: booleanValue(field(element, 'primary')) === true }];
  });
}

const ofType = (list: Candidate[], type: string) => list.find((c) => c.type === type);
const primaryOf = (list: Candidate[]) => list.find((c) => c.primary);

/** The primary address, else the work one, else the first. */
export function pickEmail(resource: JsonRecord): string | null {
  const list = candidates(field(resource, 'emails'));
  return (primaryOf(list) ?? ofType(list, 'work') ?? list[0])?.value ?? null;
}

/**
 * Work, else mobile, else primary, else first. The type is asked first because Entra maps
 * telephoneNumber and mobile to typed numbers without marking either primary.
 */
export function pickPhoneNumber(resource: JsonRecord): string | null {
  const list = candidates(field(resource, 'phoneNumbers'));
  return (ofType(list, 'work') ?? ofType(list, 'mobile') ?? primaryOf(list) ?? list[0])?.value ?? null;
}

export interface PersonName {
  firstName: string | null;
  lastName: string | null;
}

/**
 * name.givenName / name.familyName. Only when both are missing do we split name.formatted
 * (else displayName) at the first space: IdPs such as JumpCloud or a sparse OneLogin
 * template may send only a display name, and a guessed first name still lets emails greet
 * the person. Splitting is a guess (compound and family-first names break it), so a single
 * structured part is never completed from the formatted name.
 */
export function pickName(resource: JsonRecord): PersonName {
  const name = records(field(resource, 'name'))[0];
  const firstName = text(field(name, 'givenName'));
  const lastName = text(field(name, 'familyName'));
  if (firstName !== null || lastName !== null) return { firstName, lastName };
  const whole = text(field(name, 'formatted')) ?? text(field(resource, 'displayName'));
  if (whole === null) return { firstName: null, lastName: null };
  const [first = whole, ...rest] = whole.split(/\s+/);
  return { firstName: first, lastName: rest.length > 0 ? rest.join(' ') : null };
}

export interface ManagerReference {
  /** Display name, else the id: what the console shows when the manager is not a known target user. */
  manager: string | null;
  /** The id (`value`, or OneLogin's `managerId`); Entra's PATCH sends the manager as a bare id string. */
  managerId: string | null;
}

/** The enterprise extension's manager. */
export function pickManager(enterprise: JsonRecord | undefined): ManagerReference {
  const manager = field(enterprise, 'manager');
  if (typeof manager === 'string') return { manager: text(manager), managerId: text(manager) };
  const record = records(manager)[0];
  const managerId = text(field(record, 'value')) ?? text(field(record, 'managerId'));
  return { manager: text(field(record, 'displayName')) ?? managerId, managerId };
}
