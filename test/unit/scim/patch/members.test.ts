import { entraUser, group, memberIds, patch, patchGroup, scimError } from './support';

const ids = (count: number, prefix = 'user-') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const members = (values: readonly string[]) => values.map((value) => ({ value }));

describe('group members', () => {
  it('adds members, skipping those already in the group and repeats within the op', () => {
    const { resource } = patchGroup(group(['a']), [{ op: 'Add', path: 'members', value: members(['a', 'b', 'b', 'c']) }]);
    expect(memberIds(resource)).toEqual(['a', 'b', 'c']);
  });

  it('keeps a member id case as sent: ids are case-exact', () => {
    const { resource } = patchGroup(group(['abc']), [{ op: 'add', path: 'members', value: [{ value: 'ABC' }] }]);
    expect(memberIds(resource)).toEqual(['abc', 'ABC']);
  });

  it('keeps the display an IdP sends with a member, on add and replace, as POST and PUT do', () => {
    const added = patchGroup(group(), [{ op: 'add', path: 'members', value: [{ value: 'a', display: 'Ann', type: 'User' }] }]).resource;
    expect(added.members).toEqual([{ value: 'a', display: 'Ann', type: 'User' }]);
    const pathless = patchGroup(group(), [{ op: 'add', value: { members: [{ value: 'b', display: 'Bob' }] } }]).resource;
    expect(pathless.members).toEqual([{ value: 'b', display: 'Bob' }]);
    const replaced = patchGroup(group(['a']), [{ op: 'replace', path: 'members', value: [{ value: 'c', display: 'Cy' }] }]).resource;
    expect(replaced.members).toEqual([{ value: 'c', display: 'Cy' }]);
  });

  it('reads a bare string as a member id, alone or in a list', () => {
    expect(memberIds(patchGroup(group(['a']), [{ op: 'add', path: 'members', value: 'b' }]).resource)).toEqual(['a', 'b']);
    expect(memberIds(patchGroup(group(['a']), [{ op: 'Add', path: 'members', value: ['b', { value: 'c' }, 'a'] }]).resource)).toEqual(['a', 'b', 'c']);
    expect(memberIds(patchGroup(group(['a', 'b']), [{ op: 'remove', path: 'members', value: ['a'] }]).resource)).toEqual(['b']);
  });

  it('still refuses a bare string for elements that are more than their value, and on a filtered member path', () => {
    scimError(() => patch(entraUser(), [{ op: 'add', path: 'emails', value: 'a@b.c' }]), 'invalidValue');
    scimError(() => patchGroup(group(), [{ op: 'add', path: 'members', value: 7 }]), 'invalidValue');
    // A filtered path names one member; a bare id there would rewrite that member's immutable value.
    scimError(() => patchGroup(group(['a']), [{ op: 'add', path: 'members[value eq "a"]', value: 'b' }]), 'invalidValue');
  });

  it('removes nothing for a Remove of "members" with an empty value list', () => {
    expect(patchGroup(group(['a', 'b']), [{ op: 'Remove', path: 'members', value: [] }]).changed).toBe(false);
  });

  it('changes nothing for an add of null members', () => {
    expect(patchGroup(group(['a']), [{ op: 'add', path: 'members', value: null }]).changed).toBe(false);
  });

  it('removes every member for a Remove of "members" without a value', () => {
    expect(patchGroup(group(['a', 'b']), [{ op: 'remove', path: 'members' }]).resource).not.toHaveProperty('members');
  });

  it('changes nothing when removing a member that is not there', () => {
    expect(patchGroup(group(['a']), [{ op: 'remove', path: 'members[value eq "zzz"]' }]).changed).toBe(false);
  });

  it('adds 10,000 members to a group of 10,000, half of them already members', () => {
    const existing = ids(10_000);
    const added = ids(10_000).map((id, i) => (i % 2 === 0 ? id : `new-${i}`));
    const { resource } = patchGroup(group(existing), [{ op: 'Add', path: 'members', value: members(added) }]);
    const result = memberIds(resource);
    expect(result).toHaveLength(15_000);
    expect(new Set(result).size).toBe(15_000);
    expect(result.slice(0, 10_000)).toEqual(existing);
    expect(result[10_000]).toBe('new-1');
  });

  it('replaces the members with 10,000 others', () => {
    const replacement = ids(10_000, 'other-');
    const { resource } = patchGroup(group(ids(500)), [{ op: 'replace', path: 'members', value: members(replacement) }]);
    expect(memberIds(resource)).toEqual(replacement);
  });

  it('removes 5,000 listed members of 10,000, Entra style', () => {
    const all = ids(10_000);
    const removed = all.filter((_, i) => i % 2 === 1);
    const { resource } = patchGroup(group(all), [{ op: 'Remove', path: 'members', value: members(removed) }]);
    expect(memberIds(resource)).toEqual(all.filter((_, i) => i % 2 === 0));
  });

  it('removes members one op each, Okta style, from a large group', () => {
    const all = ids(10_000);
    const operations = ids(200).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }));
    const { resource } = patchGroup(group(all), operations);
    expect(memberIds(resource)).toEqual(all.slice(200));
  });
});
