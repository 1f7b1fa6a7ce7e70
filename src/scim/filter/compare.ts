import { badRequest } from '../errors';
import type { AttributeDefinition } from '../schema/attribute';
import type { CompareOperator, FilterValue } from './ast';
import { subAttributeAccessor, type Accessor, type JsonObject } from './locate';

type Test = (value: unknown) => boolean;

const ORDERING: ReadonlySet<CompareOperator> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);

const invalid = (detail: string) => badRequest('invalidFilter', detail);

/**
 * `attribute operator value` as a test on one resource (or value-filter element), per RFC 7644 §3.4.2.2:
 * it holds when any value of the attribute satisfies it; an absent attribute satisfies only `ne`
 * (and `eq null`). Combinations the RFC rejects (ordering a boolean, a complex attribute…) throw
 * 400 invalidFilter here, before any data is seen, so a bad filter fails whatever the resources hold.
 */
export function comparison(accessor: Accessor, operator: CompareOperator, expected: FilterValue, name: string): (from: JsonObject) => boolean {
  const target = accessor.definition?.type === 'complex' ? implicitValue(accessor, operator, name) : accessor;
  if (expected === null) {
    if (operator === 'eq') return (from) => target.read(from).length === 0;
    if (operator === 'ne') return (from) => target.read(from).length > 0;
    throw invalid(`"${name}" can be compared with null only by eq or ne`);
  }
  const test = valueTest(target.definition, operator, expected, name);
  return (from) => {
    const values = target.read(from);
    return values.length === 0 ? operator === 'ne' : values.some(test);
  };
}

/** RFC 7644 compares `emails co "x"` against each email's `value`; a complex attribute without one cannot be compared. */
function implicitValue(accessor: Accessor, operator: CompareOperator, name: string): Accessor {
  const subAttributes = accessor.definition?.subAttributes?.map((a) => a.name).join(', ') ?? '';
  if (ORDERING.has(operator)) {
    throw invalid(`"${name}" is a complex attribute and cannot be ordered with ${operator}; compare one of its sub-attributes (${subAttributes})`);
  }
  const value = subAttributeAccessor(accessor, 'value');
  if (!value) throw invalid(`"${name}" is a complex attribute; compare one of its sub-attributes (${subAttributes})`);
  return value;
}

function valueTest(definition: AttributeDefinition | undefined, operator: CompareOperator, expected: string | number | boolean, name: string): Test {
  switch (definition?.type) {
    case 'boolean':
      return booleanTest(operator, expected, name);
    case 'dateTime':
      return SUBSTRING.has(operator) ? stringTest(operator, expected, false) : dateTest(operator, expected, name);
    case 'integer':
    case 'decimal':
      return numberTest(operator, expected, name);
    case 'binary':
      if (ORDERING.has(operator)) throw invalid(`"${name}" is binary and cannot be ordered with ${operator}`);
      return stringTest(operator, expected, true);
    case 'complex':
      throw invalid(`"${name}" is a complex attribute; compare one of its sub-attributes`);
    default:
      // string, reference, and attributes of custom extensions.
      return stringTest(operator, expected, definition?.caseExact ?? false);
  }
}

function ordered<T extends string | number>(operator: CompareOperator, actual: T, expected: T): boolean {
  switch (operator) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
    default:
      return false;
  }
}

/** Unquoted numbers and booleans from IdPs (`externalId eq 1234`) are compared by their text. */
const asText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

function stringTest(operator: CompareOperator, expected: string | number | boolean, caseExact: boolean): Test {
  const normalise = caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
  const wanted = normalise(String(expected));
  return (value) => {
    const text = asText(value);
    if (text === undefined) return false;
    const actual = normalise(text);
    if (operator === 'co') return actual.includes(wanted);
    if (operator === 'sw') return actual.startsWith(wanted);
    if (operator === 'ew') return actual.endsWith(wanted);
    return ordered(operator, actual, wanted);
  };
}

/** OneLogin may send `active` as a string; stored or filtered, "true"/"false" count as booleans. */
function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function booleanTest(operator: CompareOperator, expected: string | number | boolean, name: string): Test {
  if (operator !== 'eq' && operator !== 'ne') throw invalid(`"${name}" is a boolean; only eq and ne apply to it, not ${operator}`);
  const wanted = asBoolean(expected);
  if (wanted === undefined) throw invalid(`"${name}" is a boolean; compare it with true or false`);
  return (value) => {
    const actual = asBoolean(value);
    return actual !== undefined && (operator === 'eq') === (actual === wanted);
  };
}

function asTime(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

function dateTest(operator: CompareOperator, expected: string | number | boolean, name: string): Test {
  const wanted = asTime(expected);
  if (Number.isNaN(wanted)) throw invalid(`"${name}" is a dateTime; compare it with a date such as "2024-01-31T09:00:00Z"`);
  return (value) => {
    const actual = asTime(value);
    return !Number.isNaN(actual) && ordered(operator, actual, wanted);
  };
}

function numberTest(operator: CompareOperator, expected: string | number | boolean, name: string): Test {
  if (SUBSTRING.has(operator)) throw invalid(`"${name}" is a number; ${operator} applies only to strings`);
  if (typeof expected !== 'number') throw invalid(`"${name}" is a number; compare it with a number`);
  return (value) => typeof value === 'number' && ordered(operator, value, expected);
}
