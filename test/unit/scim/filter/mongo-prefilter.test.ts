import { toMongoPrefilter, type PrefilterField } from '../../../../src/scim/filter/mongo-prefilter';
import { MAX_INPUT_LENGTH, parseFilter } from '../../../../src/scim/filter/parser';

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

const forUsers = (filter: string) => toMongoPrefilter(parseFilter(filter), userFields);
const forGroups = (filter: string) => toMongoPrefilter(parseFilter(filter), groupFields);
const everything = { query: {}, exact: false };

describe('toMongoPrefilter', () => {
  it('translates the lookups Entra and Okta make, lowercasing case-insensitive attributes', () => {
    expect(forUsers('userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"')).toEqual({
      query: { userNameKey: 'test_user_00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
      exact: true,
    });
    expect(forUsers('USERNAME EQ "TEST_USER"')).toEqual({ query: { userNameKey: 'test_user' }, exact: true });
    expect(forUsers('externalId eq "Ext-1"')).toEqual({ query: { externalId: 'Ext-1' }, exact: true });
    expect(forUsers('externalId eq 1234abcd')).toEqual({ query: { externalId: '1234abcd' }, exact: true });
    expect(forUsers('externalId eq 1234')).toEqual({ query: { externalId: '1234' }, exact: true });
    expect(forUsers('id eq "abc"')).toEqual({ query: { _id: 'abc' }, exact: true });
    expect(forGroups('displayName eq "Tour Guides"')).toEqual({ query: { displayNameKey: 'tour guides' }, exact: true });
  });

  it('translates and, flattening chains', () => {
    expect(forUsers('externalId eq "e" and userName eq "U"')).toEqual({
      query: { $and: [{ externalId: 'e' }, { userNameKey: 'u' }] },
      exact: true,
    });
    expect(forUsers('id eq "1" and (externalId eq "e" and userName eq "u")')).toEqual({
      query: { $and: [{ _id: '1' }, { externalId: 'e' }, { userNameKey: 'u' }] },
      exact: true,
    });
  });

  it('keeps the translatable half of an and, but is then no longer exact', () => {
    expect(forUsers('userName eq "u" and active eq true')).toEqual({ query: { userNameKey: 'u' }, exact: false });
    expect(forUsers('title pr and externalId eq "e"')).toEqual({ query: { externalId: 'e' }, exact: false });
  });

  it('translates or only when every operand translates, equalities on one field becoming one $in', () => {
    expect(forUsers('id eq "1" or id eq "2" or externalId eq "3"')).toEqual({
      query: { $or: [{ _id: { $in: ['1', '2'] } }, { externalId: '3' }] },
      exact: true,
    });
    expect(forUsers('id eq "1" or active eq true')).toEqual(everything);
    expect(forUsers('id eq "1" or id eq "2" or title pr')).toEqual(everything);
    expect(forUsers('(userName eq "a" and active eq true) or id eq "2"')).toEqual({
      query: { $or: [{ userNameKey: 'a' }, { _id: '2' }] },
      exact: false,
    });
    expect(forUsers('(id eq "1" or id eq "2") and (externalId eq "a" or externalId eq "b")')).toEqual({
      query: { $and: [{ _id: { $in: ['1', '2'] } }, { externalId: { $in: ['a', 'b'] } }] },
      exact: true,
    });
  });

  it('merges equalities on one field however the or is parenthesised, lowercasing and dropping repeats', () => {
    expect(forUsers('userName eq "A" or (externalId eq "x" or userName eq "b") or USERNAME eq "a"')).toEqual({
      query: { $or: [{ userNameKey: { $in: ['a', 'b'] } }, { externalId: 'x' }] },
      exact: true,
    });
    expect(forUsers('id eq "1" or id eq "1"')).toEqual({ query: { _id: '1' }, exact: true });
    expect(forUsers('((id eq "1" or id eq "2") and title pr) or id eq "3"')).toEqual({ query: { _id: { $in: ['1', '2', '3'] } }, exact: false });
    expect(forUsers('(id eq "1" and userName eq "u") or id eq "2"')).toEqual({
      query: { $or: [{ $and: [{ _id: '1' }, { userNameKey: 'u' }] }, { _id: '2' }] },
      exact: true,
    });
  });

  it.each([
    'userName ne "u"',
    'userName co "u"',
    'userName sw "u"',
    'userName gt "u"',
    'userName pr',
    'userName eq null',
    'not (userName eq "u")',
    'displayName eq "d"',
    'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "u"',
    'emails[type eq "work"]',
    'name.givenName eq "x"',
  ])('leaves %s to the evaluator', (filter) => {
    expect(forUsers(filter)).toEqual(everything);
  });

  it('maps member lookups onto members.value', () => {
    const expected = { query: { 'members.value': 'AbC' }, exact: true };
    expect(forGroups('members[value eq "AbC"]')).toEqual(expected);
    expect(forGroups('members.value eq "AbC"')).toEqual(expected);
    expect(forGroups('MEMBERS.VALUE eq "AbC"')).toEqual(expected);
    expect(forGroups('members eq "AbC"')).toEqual(expected);
    expect(forGroups('members[value eq "a" or value eq "b"]')).toEqual({ query: { 'members.value': { $in: ['a', 'b'] } }, exact: true });
    expect(forGroups('members[value eq "a"] or members.value eq "b"')).toEqual({ query: { 'members.value': { $in: ['a', 'b'] } }, exact: true });
    expect(forGroups('displayName eq "G" and members[value eq "m"]')).toEqual({
      query: { $and: [{ displayNameKey: 'g' }, { 'members.value': 'm' }] },
      exact: true,
    });
  });

  it('is a superset, not exact, when a value path joins conditions on one element', () => {
    expect(forGroups('members[value eq "a" and value eq "b"]')).toEqual({
      query: { $and: [{ 'members.value': 'a' }, { 'members.value': 'b' }] },
      exact: false,
    });
    expect(forGroups('members[value eq "a" and type eq "User"]')).toEqual({ query: { 'members.value': 'a' }, exact: false });
    expect(forGroups('members[value ne "a"]')).toEqual(everything);
  });

  it('never uses $elemMatch or collation', () => {
    const text = JSON.stringify(forGroups('members[value eq "a" and display co "x"] or (members.value eq "b" and displayName eq "g")'));
    expect(text).not.toMatch(/\$elemMatch|collation/);
  });

  it('turns the longest or-chain of ids that fits into one $in', () => {
    const ids = Array.from({ length: 600 }, (_, i) => String(i));
    const filter = ids.map((id) => `id eq ${id}`).join(' or ');
    expect(filter.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
    expect(forUsers(filter)).toEqual({ query: { _id: { $in: ids } }, exact: true });
  });

  it('keeps long chains of other conditions flat enough for MongoDB', () => {
    const filter = Array.from({ length: 200 }, (_, i) => `(id eq ${i} and userName eq ${i})`).join(' or ');
    const { query, exact } = forUsers(filter);
    expect(exact).toBe(true);
    expect(query.$or).toHaveLength(200);
  });
});
