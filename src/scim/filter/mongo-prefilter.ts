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
 * becomes a MongoDB query returning a superset of the matches; every other condition becomes `{}`.
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
      return either(translate(node.left, fields, within), translate(node.right, fields, within));
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

function either(left: MongoPrefilter, right: MongoPrefilter): MongoPrefilter {
  if (isEmpty(left.query) || isEmpty(right.query)) return EVERYTHING;
  return { query: { $or: [...operands(left.query, '$or'), ...operands(right.query, '$or')] }, exact: left.exact && right.exact };
}
