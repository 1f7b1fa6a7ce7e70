import type { FilterNode } from '../../../../src/scim/filter/ast';
import { MAX_INPUT_LENGTH, MAX_NESTING, parseFilter, parsePatchPath } from '../../../../src/scim/filter/parser';
import { expectBadRequest } from './expect-scim-error';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const eq = (attribute: string, value: string): FilterNode => ({ kind: 'compare', path: { attribute }, operator: 'eq', value });

/** Renders the tree with explicit parentheses, to read precedence at a glance. */
function shape(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${shape(node.left)} ${node.kind} ${shape(node.right)})`;
    case 'not':
      return `not ${shape(node.filter)}`;
    case 'present':
      return `${node.path.attribute} pr`;
    case 'compare':
      return `${node.path.attribute} ${node.operator} ${JSON.stringify(node.value)}`;
    case 'valuePath':
      return `${node.path.attribute}[${shape(node.filter)}]`;
  }
}

describe('parseFilter: conditions', () => {
  it.each(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const)('parses the %s operator', (operator) => {
    expect(parseFilter(`title ${operator} "x"`)).toEqual({ kind: 'compare', path: { attribute: 'title' }, operator, value: 'x' });
  });

  it('parses pr', () => {
    expect(parseFilter('title pr')).toEqual({ kind: 'present', path: { attribute: 'title' } });
  });

  it('reads operators and logical words in any case, and keeps attribute names as written', () => {
    expect(parseFilter('USERNAME Eq "a" AND Title PR oR NoT (x sW "b")')).toEqual(parseFilter('USERNAME eq "a" and Title pr or not (x sw "b")'));
    expect(parseFilter('USERNAME EQ "a"')).toEqual(eq('USERNAME', 'a'));
  });

  it('parses sub-attributes', () => {
    expect(parseFilter('name.givenName eq "Barbara"')).toEqual({
      kind: 'compare',
      path: { attribute: 'name', subAttribute: 'givenName' },
      operator: 'eq',
      value: 'Barbara',
    });
  });

  it('parses schema-URN-prefixed attributes and sub-attributes', () => {
    expect(parseFilter(`${ENTERPRISE}:department eq "Sales"`)).toEqual({
      kind: 'compare',
      path: { schema: ENTERPRISE, attribute: 'department' },
      operator: 'eq',
      value: 'Sales',
    });
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "m1"`)).toMatchObject({
      path: { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' },
    });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName pr')).toEqual({
      kind: 'present',
      path: { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', attribute: 'userName' },
    });
  });

  it('accepts $ref as a sub-attribute', () => {
    expect(parseFilter('members.$ref pr')).toEqual({ kind: 'present', path: { attribute: 'members', subAttribute: '$ref' } });
    expect(parseFilter('members[$ref eq "x"]')).toMatchObject({ kind: 'valuePath', filter: { path: { attribute: '$ref' } } });
  });

  it.each([
    ['userName eq "x" and $where eq "1"', /"\$where" is not a valid attribute name/],
    ['$ne eq "x"', /"\$ne" is not a valid attribute name/],
    ['name.$gt pr', /"\$gt" is not a valid sub-attribute name/],
    ['emails[$regex eq "x"]', /"\$regex" is not a valid attribute name/],
    ['emails[type eq "work"].$where eq "x"', /"\$where" is not a valid sub-attribute name/],
    [`${ENTERPRISE}:$where eq "x"`, /"\$where" is not a valid attribute name/],
    ['$refs pr', /"\$refs" is not a valid attribute name/],
  ])('rejects the $-name in %j: RFC 7644 names start with a letter', (text, detail) => {
    expectBadRequest(() => parseFilter(text), 'invalidFilter', detail);
  });
});

describe('parseFilter: values', () => {
  const valueOf = (text: string) => {
    const node = parseFilter(`x eq ${text}`);
    return node.kind === 'compare' ? node.value : undefined;
  };

  it.each([
    ['"plain"', 'plain'],
    ['""', ''],
    [String.raw`"quote \" backslash \\ slash \/ tab \t unicode \u00e9"`, 'quote " backslash \\ slash / tab \t unicode é'],
    ['"spaces and ) ] ( [ inside"', 'spaces and ) ] ( [ inside'],
    ['42', 42],
    ['-1.5e3', -1500],
    ['0', 0],
    ['true', true],
    ['FALSE', false],
    ['null', null],
  ])('reads %s', (text, value) => {
    expect(valueOf(text)).toEqual(value);
  });

  it('takes an unquoted word as a string, as Entra sends (externalId eq 1234abcd)', () => {
    expect(parseFilter('externalId eq 1234abcd')).toEqual(eq('externalId', '1234abcd'));
    expect(valueOf('007')).toBe('007');
    expect(valueOf('alice@example.com')).toBe('alice@example.com');
    expect(valueOf('00aa00aa-bb11-cc22-dd33-44ee44ee44ee')).toBe('00aa00aa-bb11-cc22-dd33-44ee44ee44ee');
  });

  it('ends an unquoted value at a closing bracket', () => {
    expect(parseFilter('(externalId eq abc)')).toEqual(eq('externalId', 'abc'));
    expect(parseFilter('members[value eq abc]')).toEqual({ kind: 'valuePath', path: { attribute: 'members' }, filter: eq('value', 'abc') });
  });

  it('parses the filters Entra and Okta send', () => {
    expect(parseFilter('userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"')).toEqual(
      eq('userName', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee'),
    );
    expect(parseFilter('displayName eq "Group 1"')).toEqual(eq('displayName', 'Group 1'));
    expect(parseFilter('externalId eq "ext-1" and userName eq "a@b.c"')).toEqual({
      kind: 'and',
      left: eq('externalId', 'ext-1'),
      right: eq('userName', 'a@b.c'),
    });
  });
});

describe('parseFilter: logic and precedence', () => {
  it.each([
    ['a pr or b pr and c pr', '(a pr or (b pr and c pr))'],
    ['a pr and b pr or c pr', '((a pr and b pr) or c pr)'],
    ['a pr and b pr and c pr', '((a pr and b pr) and c pr)'],
    ['a pr or b pr or c pr', '((a pr or b pr) or c pr)'],
    ['not (a pr) and b pr', '(not a pr and b pr)'],
    ['not a pr and b pr', '(not a pr and b pr)'],
    ['not (a pr and b pr)', 'not (a pr and b pr)'],
    ['(a pr or b pr) and c pr', '((a pr or b pr) and c pr)'],
    ['not not a pr', 'not not a pr'],
    ['((a pr))', 'a pr'],
    ['a pr or not (b pr) and c pr', '(a pr or (not b pr and c pr))'],
  ])('%s → %s', (text, expected) => {
    expect(shape(parseFilter(text))).toBe(expected);
  });

  it('needs no spaces around parentheses', () => {
    expect(shape(parseFilter('not(a pr)and(b pr)'))).toBe('(not a pr and b pr)');
  });
});

describe('parseFilter: value paths', () => {
  it('parses the RFC example', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toEqual({
      kind: 'valuePath',
      path: { attribute: 'emails' },
      filter: { kind: 'and', left: eq('type', 'work'), right: { kind: 'compare', path: { attribute: 'value' }, operator: 'co', value: '@example.com' } },
    });
  });

  it('combines value paths with other conditions', () => {
    expect(shape(parseFilter('userType eq "Employee" and emails[type eq "work" or not (primary eq "x")] or title pr'))).toBe(
      '((userType eq "Employee" and emails[(type eq "work" or not primary eq "x")]) or title pr)',
    );
  });

  it('accepts a schema-prefixed value path', () => {
    expect(parseFilter(`${ENTERPRISE}:manager[value eq "m1"]`)).toMatchObject({ kind: 'valuePath', path: { schema: ENTERPRISE, attribute: 'manager' } });
  });

  it('folds a sub-attribute after the brackets into the element condition', () => {
    expect(parseFilter('emails[type eq "work"].value eq "a@b.c"')).toEqual({
      kind: 'valuePath',
      path: { attribute: 'emails' },
      filter: { kind: 'and', left: eq('type', 'work'), right: eq('value', 'a@b.c') },
    });
  });

  it.each([
    ['emails[type eq "work" and x[y pr]]', /cannot be nested/],
    ['name.givenName[x pr]', /cannot follow the sub-attribute/],
    ['emails[]', /expected an attribute name/],
    ['emails[type eq "work"', /expected "]" to close the "\[" at character 7/],
    ['emails[type eq "work"].value', /expected an operator/],
    ['emails[type eq "work"].1x eq "a"', /not a valid sub-attribute name/],
  ])('rejects %s', (text, detail) => {
    expectBadRequest(() => parseFilter(text), 'invalidFilter', detail);
  });
});

describe('parseFilter: malformed input', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['userName', /character 9: expected an operator .* found the end of the filter/],
    ['userName eq', /character 12: expected a value after "eq"/],
    ['userName eq "x" and', /expected an attribute name/],
    ['userName eq "x" userName eq "y"', /character 17: expected "and", "or" or the end of the filter, found "userName"/],
    ['userName equals "x"', /expected an operator \(eq, ne, co, sw, ew, gt, ge, lt, le or pr\) after "userName", found "equals"/],
    ['userName eq "x")', /character 16: this "\)" has no matching "\("/],
    ['(userName eq "x"', /expected "\)" to close the "\(" at character 1/],
    ['()', /expected an attribute name/],
    ['and eq "x"', /character 1: expected an attribute name, "\(" or "not", found "and"/],
    ['userName eq "unterminated', /character 13: the string starting here has no closing quote/],
    [String.raw`userName eq "bad \q escape"`, /not a valid JSON string/],
    ['user-name! eq "x"', /"user-name!" is not a valid attribute name/],
    ['1abc eq "x"', /"1abc" is not a valid attribute name/],
    ['name.givenName.x eq "x"', /more than one sub-attribute/],
    ['name. eq "x"', /not a valid sub-attribute name/],
    ['urn:ietf:params:scim:schemas:core:2.0:User: eq "x"', /no attribute after it/],
    ['urn::x:userName eq "x"', /valid schema URN/],
    ['x eq 1e999', /out of range/],
    ['x eq "a" "b"', /expected "and", "or"/],
    ['x pr pr', /expected "and", "or"/],
    ['"x" eq "x"', /expected an attribute name/],
    ['not', /expected an attribute name/],
    ['x eq [', /expected a value/],
  ])('rejects %j', (text, detail) => {
    expectBadRequest(() => parseFilter(text), 'invalidFilter', detail);
  });

  it('rejects an unpaired surrogate as 400 invalidValue: no stored value can hold one', () => {
    expectBadRequest(() => parseFilter(String.raw`userName eq "x\ud800"`), 'invalidValue', /character 13: the string starting here holds an unpaired surrogate/);
    expectBadRequest(() => parseFilter('userName eq x\udc00'), 'invalidValue', /character 14/);
    expectBadRequest(() => parsePatchPath(String.raw`emails[type eq "\udbff"].value`), 'invalidValue', /unpaired surrogate/);
  });

  it('rejects input that is not a string (a repeated query parameter arrives as an array)', () => {
    expectBadRequest(() => parseFilter(['a pr', 'b pr'] as unknown as string), 'invalidFilter', /must be a string/);
  });

  it('bounds the input length', () => {
    const long = `x eq "${'a'.repeat(MAX_INPUT_LENGTH)}"`;
    expectBadRequest(() => parseFilter(long), 'invalidFilter', /at most 8192/);
  });

  it('bounds nesting of parentheses, not and brackets', () => {
    const ok = `${'('.repeat(MAX_NESTING)}a pr${')'.repeat(MAX_NESTING)}`;
    expect(parseFilter(ok)).toEqual({ kind: 'present', path: { attribute: 'a' } });
    expectBadRequest(() => parseFilter(`(${ok})`), 'invalidFilter', /nesting deeper than 50/);
    expectBadRequest(() => parseFilter(`${'not '.repeat(MAX_NESTING + 1)}a pr`), 'invalidFilter', /nesting/);
    expectBadRequest(() => parseFilter('('.repeat(5000)), 'invalidFilter', /nesting/);
  });

  it('parses the longest and-chain that fits without recursion trouble', () => {
    const chain = Array.from({ length: 910 }, () => 'a pr').join(' and ');
    expect(chain.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
    expect(parseFilter(chain).kind).toBe('and');
  });
});
