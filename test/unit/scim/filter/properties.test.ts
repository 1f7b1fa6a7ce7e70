import fc from 'fast-check';
import { ScimError } from '../../../../src/scim/errors';
import type { AttributePath, CompareOperator, FilterNode, FilterValue } from '../../../../src/scim/filter/ast';
import { compileFilter, matchesFilter, type ResourceTest } from '../../../../src/scim/filter/evaluate';
import { toMongoPrefilter } from '../../../../src/scim/filter/mongo-prefilter';
import { parseFilter, parsePatchPath } from '../../../../src/scim/filter/parser';
import { valuesAtPath } from '../../../../src/scim/filter/values';
import { groupResourceType, userResourceType } from '../../../../src/scim/schema/resource-types';

const OPERATORS: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const sampleUser = {
  id: 'u1',
  userName: 'Alice',
  active: true,
  name: { givenName: 'Alice' },
  emails: [{ value: 'a@x.io', type: 'work', primary: true }],
  meta: { lastModified: '2024-01-01T00:00:00Z' },
  [ENTERPRISE]: { department: 'Sales', manager: { value: 'm' } },
};

/** Runs `action`; anything thrown must be a 400 ScimError of the given type. */
function onlyScimErrors(action: () => unknown, scimType: string): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe(scimType);
  }
}

/** Fragments that make random text look like a filter often enough to reach deep parser states. */
const fragment = fc.constantFrom(
  ' ', '(', ')', '[', ']', '"', '\\', '.', ':', 'and', 'or', 'not', 'AND', 'Not', 'pr', 'eq', 'ne', 'co', 'gt', 'le',
  'userName', 'emails', 'value', 'type', 'name.givenName', 'active', 'meta.lastModified', 'members', `${ENTERPRISE}:`,
  'manager.value', 'true', 'false', 'null', '42', '-1.5e3', '1e999', '"x"', '"\\u00e9"', '"\\q"', 'urn:', '$ref', 'x!',
);
const filterish = fc.array(fc.oneof(fragment, fc.string({ maxLength: 3 })), { maxLength: 25 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), filterish);

describe('robustness', () => {
  it('parseFilter, and evaluating what it accepts, throw nothing but ScimError invalidFilter', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        onlyScimErrors(() => {
          const filter = parseFilter(text);
          toMongoPrefilter(filter, { userName: { field: 'userNameKey', lowercase: true } });
          matchesFilter(sampleUser, filter, userResourceType);
        }, 'invalidFilter');
      }),
      { numRuns: 3000 },
    );
  });

  it('parsePatchPath, and reading what it accepts, throw nothing but ScimError', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let path;
        try {
          path = parsePatchPath(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ScimError);
          expect((error as ScimError).scimType).toBe('invalidPath');
          return;
        }
        onlyScimErrors(() => valuesAtPath(sampleUser, path, userResourceType), 'invalidFilter');
      }),
      { numRuns: 3000 },
    );
  });

  it('survives deep nesting and very long input', () => {
    for (const text of ['('.repeat(100_000), '['.repeat(100_000), 'not '.repeat(30_000), `a eq "${'\\'.repeat(100_000)}`, 'a pr and '.repeat(20_000)]) {
      onlyScimErrors(() => parseFilter(text), 'invalidFilter');
      onlyScimErrors(() => parsePatchPath(text), 'invalidPath');
    }
  });
});

// Random ASTs over the user schema, printed back to text.
const attributePath: fc.Arbitrary<AttributePath> = fc.constantFrom<AttributePath>(
  { attribute: 'userName' },
  { attribute: 'active' },
  { attribute: 'title' },
  { attribute: 'name', subAttribute: 'givenName' },
  { attribute: 'emails', subAttribute: 'type' },
  { attribute: 'meta', subAttribute: 'lastModified' },
  { schema: ENTERPRISE, attribute: 'department' },
  { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' },
  { attribute: 'unknownThing' },
);
const elementPath = fc.constantFrom<AttributePath>({ attribute: 'value' }, { attribute: 'type' }, { attribute: 'primary' });
const filterValue: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('Alice', 'alice', 'work', 'Sales', '2024-01-01T00:00:00Z', 'true'),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
);

function filterTree(paths: fc.Arbitrary<AttributePath>, withValuePaths: boolean): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('compare' as const), path: paths, operator: fc.constantFrom(...OPERATORS), value: filterValue }),
      fc.record({ kind: fc.constant('present' as const), path: paths }),
      fc.record({ kind: fc.constant('and' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('or' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
      ...(withValuePaths
        ? [fc.record({ kind: fc.constant('valuePath' as const), path: fc.constant({ attribute: 'emails' }), filter: filterTree(elementPath, false) })]
        : []),
    ),
  })).node;
}
const userFilter = filterTree(attributePath, true);

const printPath = (p: AttributePath) => `${p.schema ? `${p.schema}:` : ''}${p.attribute}${p.subAttribute ? `.${p.subAttribute}` : ''}`;
function print(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${printPath(node.path)} ${node.operator} ${JSON.stringify(node.value)}`;
    case 'present':
      return `${printPath(node.path)} pr`;
    case 'and':
    case 'or':
      return `(${print(node.left)} ${node.kind} ${print(node.right)})`;
    case 'not':
      return `not (${print(node.filter)})`;
    case 'valuePath':
      return `${printPath(node.path)}[${print(node.filter)}]`;
  }
}

/** The outcome of evaluating, with schema errors as a value so properties can compare outcomes. */
function outcome(resource: object, filter: FilterNode): boolean | 'invalid' {
  try {
    return matchesFilter(resource, filter, userResourceType);
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidFilter') return 'invalid';
    throw error;
  }
}

const userResource = fc.record(
  {
    userName: fc.constantFrom('Alice', 'bob'),
    active: fc.oneof(fc.boolean(), fc.constant('False')),
    title: fc.constantFrom('', 'Boss', null),
    name: fc.record({ givenName: fc.constantFrom('Alice', 'true') }, { requiredKeys: [] }),
    emails: fc.array(fc.record({ value: fc.constantFrom('a@x.io', 'Alice'), type: fc.constantFrom('work', 'home'), primary: fc.boolean() }), { maxLength: 2 }),
    meta: fc.record({ lastModified: fc.constantFrom('2024-01-01T00:00:00Z', '2023-06-01T00:00:00Z') }),
    [ENTERPRISE]: fc.record({ department: fc.constantFrom('Sales', 'sales'), manager: fc.record({ value: fc.constantFrom('m', '12') }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('grammar and semantics properties', () => {
  it('parses a printed filter back to the same tree', () => {
    fc.assert(fc.property(userFilter, (filter) => expect(parseFilter(print(filter))).toEqual(filter)), { numRuns: 1000 });
  });

  it('not negates, and and/or follow De Morgan', () => {
    fc.assert(
      fc.property(userResource, userFilter, userFilter, (resource, a, b) => {
        const result = outcome(resource, a);
        const negated = outcome(resource, { kind: 'not', filter: a });
        expect(negated).toBe(result === 'invalid' ? 'invalid' : !result);
        const both = outcome(resource, { kind: 'and', left: a, right: b });
        const neither = outcome(resource, { kind: 'or', left: { kind: 'not', filter: a }, right: { kind: 'not', filter: b } });
        expect(neither).toBe(both === 'invalid' ? 'invalid' : !both);
      }),
      { numRuns: 1000 },
    );
  });
});

// Groups as the persistence layer would store them, and a matcher for the queries the prefilter emits.
const GROUP_FIELDS = {
  id: { field: '_id', lowercase: false },
  displayName: { field: 'displayNameKey', lowercase: true },
  'members.value': { field: 'members.value', lowercase: false },
};
const memberId = fc.constantFrom('a', 'A', 'b', 'c');
const group = fc.record({
  id: fc.constantFrom('g1', 'G1'),
  displayName: fc.constantFrom('Team', 'team', 'Other'),
  members: fc.array(fc.record({ value: memberId, type: fc.constantFrom('User', 'Group') }), { maxLength: 3 }),
});
type Group = typeof group extends fc.Arbitrary<infer G> ? G : never;

/** A field condition: a value, or `{$in: [...]}`. */
function fieldMatches(actual: string, wanted: unknown): boolean {
  if (typeof wanted === 'string') return actual === wanted;
  const keys = typeof wanted === 'object' && wanted !== null ? Object.keys(wanted) : [];
  const list = (wanted as { $in?: unknown }).$in;
  if (keys.length !== 1 || !Array.isArray(list)) throw new Error(`unexpected condition ${JSON.stringify(wanted)}`);
  return list.includes(actual);
}

function mongoMatches(query: Record<string, unknown>, group: Group): boolean {
  return Object.entries(query).every(([key, wanted]) => {
    if (key === '$and') return (wanted as Record<string, unknown>[]).every((q) => mongoMatches(q, group));
    if (key === '$or') return (wanted as Record<string, unknown>[]).some((q) => mongoMatches(q, group));
    if (key === '_id') return fieldMatches(group.id, wanted);
    if (key === 'displayNameKey') return fieldMatches(group.displayName.toLowerCase(), wanted);
    if (key === 'members.value') return group.members.some((m) => fieldMatches(m.value, wanted));
    throw new Error(`unexpected field ${key}`);
  });
}

const groupPath = fc.constantFrom<AttributePath>(
  { attribute: 'id' },
  { attribute: 'displayName' },
  { attribute: 'DISPLAYNAME' },
  { attribute: 'members', subAttribute: 'value' },
  { attribute: 'members' },
  { attribute: 'externalId' },
);
const groupCompare = (paths: fc.Arbitrary<AttributePath>) =>
  fc.record({
    kind: fc.constant('compare' as const),
    path: paths,
    operator: fc.constantFrom<CompareOperator>('eq', 'eq', 'eq', 'ne', 'co'),
    value: fc.constantFrom<FilterValue>('g1', 'G1', 'Team', 'TEAM', 'a', 'A', 'b', null),
  });
const memberFilter = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    groupCompare(fc.constantFrom<AttributePath>({ attribute: 'value' }, { attribute: 'type' })),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
  ),
})).node;
const groupFilter = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    groupCompare(groupPath),
    fc.record({ kind: fc.constant('valuePath' as const), path: fc.constant({ attribute: 'members' }), filter: memberFilter }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
  ),
})).node;

describe('toMongoPrefilter against the evaluator', () => {
  it('returns a superset of the matches, and exactly the matches when it says exact', () => {
    fc.assert(
      fc.property(groupFilter, fc.array(group, { maxLength: 6 }), (filter, groups) => {
        let test: ResourceTest;
        try {
          test = compileFilter(filter, groupResourceType);
        } catch (error) {
          if (error instanceof ScimError) return;
          throw error;
        }
        const { query, exact } = toMongoPrefilter(filter, GROUP_FIELDS);
        for (const g of groups) {
          const matches = test(g);
          const selected = mongoMatches(query, g);
          if (matches) expect(selected).toBe(true);
          if (exact) expect(selected).toBe(matches);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
