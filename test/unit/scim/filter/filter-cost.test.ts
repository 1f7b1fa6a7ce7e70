import fc from 'fast-check';
import { limitFilterCost, MAX_FILTER_CONDITIONS } from '../../../../src/scim/filter/filter-cost';
import { toMongoPrefilter, type PrefilterField } from '../../../../src/scim/filter/mongo-prefilter';
import { MAX_INPUT_LENGTH, parseFilter } from '../../../../src/scim/filter/parser';
import { expectBadRequest } from './expect-scim-error';

const userFields: Record<string, PrefilterField> = {
  id: { field: '_id', lowercase: false },
  userName: { field: 'userNameKey', lowercase: true },
  externalId: { field: 'externalId', lowercase: false },
};
const groupFields: Record<string, PrefilterField> = {
  id: { field: '_id', lowercase: false },
  displayName: { field: 'displayNameKey', lowercase: true },
  'members.value': { field: 'members.value', lowercase: false },
};

function check(text: string, fields = userFields): void {
  const filter = parseFilter(text);
  limitFilterCost(filter, toMongoPrefilter(filter, fields), Object.keys(fields));
}

const chain = (count: number, clause: (i: number) => string, joiner = ' or ') => Array.from({ length: count }, (_, i) => clause(i)).join(joiner);

describe('limitFilterCost', () => {
  it(`accepts ${MAX_FILTER_CONDITIONS} conditions of any kind`, () => {
    expect(() => check(chain(MAX_FILTER_CONDITIONS, (i) => `title co "${i}"`))).not.toThrow();
    expect(() => check(chain(MAX_FILTER_CONDITIONS, (i) => `emails[value eq "${i}"]`, ' and '))).not.toThrow();
  });

  it('rejects one more as 400 invalidFilter naming the count and the limit', () => {
    expectBadRequest(
      () => check(chain(MAX_FILTER_CONDITIONS + 1, (i) => `title co "${i}"`)),
      'invalidFilter',
      /^The filter has 21 conditions; at most 20 are accepted \("eq" comparisons joined by "or" count once per attribute for id, userName, externalId\)\.$/,
    );
    expectBadRequest(() => check(`not (${chain(MAX_FILTER_CONDITIONS + 1, (i) => `title eq "${i}"`, ' and ')})`), 'invalidFilter', /has 21 conditions/);
  });

  it('counts the conditions inside value filters', () => {
    expectBadRequest(() => check(`emails[${chain(MAX_FILTER_CONDITIONS + 1, (i) => `value co "${i}"`)}]`), 'invalidFilter', /has 21 conditions/);
  });

  it('accepts the longest or-chain of eq on indexed attributes that fits, as one $in per attribute', () => {
    const ids = chain(600, (i) => `id eq ${i}`);
    expect(ids.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
    expect(() => check(ids)).not.toThrow();
    expect(() => check(chain(300, (i) => [`id eq ${i}`, `userName eq u${i}`, `externalId eq ${i}`][i % 3] ?? ''))).not.toThrow();
    expect(() => check(`displayName eq "Sales" and members[${chain(500, (i) => `value eq ${i}`)}]`, groupFields)).not.toThrow();
  });

  it('counts every condition of an or-chain the database cannot answer exactly', () => {
    expectBadRequest(() => check(`${chain(100, (i) => `id eq ${i}`)} or title eq "x"`), 'invalidFilter', /has 101 conditions/);
    expectBadRequest(() => check(`not (${chain(100, (i) => `id eq ${i}`)})`), 'invalidFilter', /has 100 conditions/);
    expectBadRequest(() => check(`(${chain(100, (i) => `id eq ${i}`)}) and active eq true`), 'invalidFilter', /has 101 conditions/);
    expectBadRequest(() => check(chain(100, (i) => `userName co ${i}`)), 'invalidFilter', /has 100 conditions/);
  });

  it('counts each term of an exact query that no $in can shorten', () => {
    expectBadRequest(() => check(chain(11, (i) => `(id eq ${i} and userName eq u${i})`)), 'invalidFilter', /has 22 conditions/);
    expectBadRequest(() => check(chain(21, (i) => `id eq ${i}`, ' and ')), 'invalidFilter', /has 21 conditions/);
  });

  it('never refuses a filter within the limit, however its conditions are combined', () => {
    const clause = fc.constantFrom('id eq 1', 'userName eq "u"', 'title co "x"', 'active eq true', 'emails[type eq "work"]', 'title pr', 'not (externalId eq 2)');
    const filter = fc
      .array(fc.tuple(clause, fc.constantFrom(' and ', ' or ')), { minLength: 1, maxLength: MAX_FILTER_CONDITIONS })
      .map((parts) => parts.map(([text, joiner], i) => (i === 0 ? text : `${joiner}${text}`)).join(''));
    fc.assert(fc.property(filter, (text) => check(text)));
  });
});
