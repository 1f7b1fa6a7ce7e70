import type { AttributePath, FilterNode } from './ast';

/** An attribute the persistence layer also keeps as an indexed top-level field. */
export interface PrefilterField {
  field: string;
  /**
   * The field holds the value lowercased, and filter values are lowercased to match it. An attribute
   * that is not caseExact must use such a field; one with `lowercase: false` is taken to be caseExact.
   */
  lowercase: boolean;
}

export interface MongoPrefilter {
  query: Record<string, unknown>;
  /** The query selects exactly what the filter does, so the database can count and page. */
  exact: boolean;
}

type Query = Record<string, unknown>;
type Fields = ReadonlyMap<string, PrefilterField>;

const EVERYTHING: MongoPrefilter = { query: {}, exact: false };

/**
 * Narrows a search with the indexed fields: `eq` on a mapped attribute, combined by `and`/`or`,
 * becomes a MongoDB query returning a superset of the matches (an or-chain of equalities on one
 * field becoming one `$in`); every other condition becomes `{}`.
 * `fields` is keyed by attribute path, e.g. `{ userName: { field: 'userNameKey', lowercase: true },
 * 'members.value': { field: 'members.value', lowercase: false } }`. Uses neither $elemMatch nor
 * collation, which FerretDB lacks.
 */
export function toMongoPrefilter(filter: FilterNode, fields: Record<string, PrefilterField>): MongoPrefilter {
  const byPath = new Map(Object.entries(fields).map(([path, field]) => [path.toLowerCase(), field]));
  return translate(filter, byPath, undefined);
}

/** `within` is the attribute of the value path being translated: its conditions all concern one element. */
function translate(node: FilterNode, fields: Fields, within: string | undefined): MongoPrefilter {
  switch (node.kind) {
    case 'compare':
      return node.operator === 'eq' && node.value !== null ? equality(node.path, node.value, fields, within) : EVERYTHING;
    case 'and':
      // Inside a value path, both conditions must hold for the same element, which a plain query cannot say.
      return both(translate(node.left, fields, within), translate(node.right, fields, within), within === undefined);
    case 'or':
      return disjunction(node, fields, within);
    case 'valuePath':
      if (within !== undefined || node.path.schema !== undefined || node.path.subAttribute !== undefined) return EVERYTHING;
      return translate(node.filter, fields, node.path.attribute);
    default:
      return EVERYTHING;
  }
}

function equality(path: AttributePath, value: string | number | boolean, fields: Fields, within: string | undefined): MongoPrefilter {
  // A schema URN could name another resource type's schema, which the evaluator would not match.
  if (path.schema !== undefined) return EVERYTHING;
  let field: PrefilterField | undefined;
  if (within !== undefined) {
    field = path.subAttribute === undefined ? fields.get(`${within}.${path.attribute}`.toLowerCase()) : undefined;
  } else if (path.subAttribute !== undefined) {
    field = fields.get(`${path.attribute}.${path.subAttribute}`.toLowerCase());
  } else {
    // `members eq "x"` compares each member's value, as `members.value eq "x"` does.
    field = fields.get(path.attribute.toLowerCase()) ?? fields.get(`${path.attribute}.value`.toLowerCase());
  }
  if (!field) return EVERYTHING;
  // The evaluator compares unquoted numbers and booleans by their text, so the query does too.
  const text = String(value);
  return { query: { [field.field]: field.lowercase ? text.toLowerCase() : text }, exact: true };
}

const isEmpty = (query: Query) => Object.keys(query).length === 0;

/** Flattening keeps long `and`/`or` chains from nesting past MongoDB's document depth limit. */
function operands(query: Query, operator: '$and' | '$or'): Query[] {
  if (isEmpty(query)) return [];
  const nested = query[operator];
  return Object.keys(query).length === 1 && Array.isArray(nested) ? (nested as Query[]) : [query];
}

function both(left: MongoPrefilter, right: MongoPrefilter, exactPossible: boolean): MongoPrefilter {
  const parts = [...operands(left.query, '$and'), ...operands(right.query, '$and')];
  const query = parts.length === 0 ? {} : parts.length === 1 ? (parts[0] ?? {}) : { $and: parts };
  return { query, exact: exactPossible && left.exact && right.exact };
}

/** The operands of an `or` chain however it is parenthesised, in order; iterative, as chains run to hundreds. */
function disjuncts(node: FilterNode): FilterNode[] {
  const found: FilterNode[] = [];
  const pending = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.kind === 'or') pending.push(next.right, next.left);
    else found.push(next);
  }
  return found;
}

/** `{field: "a"}` or `{field: {$in: […]}}`: the values one field may take, or undefined for any other query. */
function allowedValues(query: Query): [string, unknown[]] | undefined {
  const keys = Object.keys(query);
  const field = keys[0];
  if (keys.length !== 1 || field === undefined || field.startsWith('$')) return undefined;
  const value = query[field];
  if (typeof value === 'string') return [field, [value]];
  const list = typeof value === 'object' && value !== null && Object.keys(value).length === 1 ? (value as Query).$in : undefined;
  return Array.isArray(list) ? [field, list] : undefined;
}

/**
 * Holds when any operand does, so it narrows only when every operand does. The equalities on one
 * field become one `$in`: FerretDB v1 tests each document against every `$or` branch in turn,
 * which took 24 s for 550 `id eq` branches, but a `$in` as one condition.
 */
function disjunction(node: FilterNode, fields: Fields, within: string | undefined): MongoPrefilter {
  const terms: ({ field: string; values: unknown[] } | { query: Query })[] = [];
  const valuesOf = new Map<string, unknown[]>();
  let exact = true;
  for (const operand of disjuncts(node)) {
    const translated = translate(operand, fields, within);
    if (isEmpty(translated.query)) return EVERYTHING;
    exact &&= translated.exact;
    const allowed = allowedValues(translated.query);
    if (!allowed) {
      terms.push(...operands(translated.query, '$or').map((query) => ({ query })));
      continue;
    }
    const [field, values] = allowed;
    const known = valuesOf.get(field);
    if (known) {
      known.push(...values);
    } else {
      const collected = [...values];
      valuesOf.set(field, collected);
      terms.push({ field, values: collected });
    }
  }
  const queries = terms.map((term) => ('query' in term ? term.query : { [term.field]: oneOf(term.values) }));
  return { query: queries.length === 1 ? (queries[0] ?? {}) : { $or: queries }, exact };
}

function oneOf(values: unknown[]): unknown {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : { $in: distinct };
}
