import { ENTERPRISE, entraUser, group, patch, patchGroup, scimError } from './support';

describe('400 answers', () => {
  it.each(['id', 'meta', 'meta.created', 'groups', `${ENTERPRISE}:manager.displayName`])('mutability: %s is read-only', (path) => {
    scimError(() => patch(entraUser(), [{ op: 'replace', path, value: 'x' }]), 'mutability');
  });

  it('mutability: a member display is read-only', () => {
    scimError(() => patchGroup(group(['a']), [{ op: 'replace', path: 'members[value eq "a"].display', value: 'x' }]), 'mutability');
  });

  it('ignores read-only and unknown attributes in a path-less value', () => {
    const result = patch(entraUser(), [{ op: 'replace', value: { id: 'x', meta: { version: 'W/"9"' }, groups: [{ value: 'g' }], shoeSize: 44, 'name.nope': 'x' } }]);
    expect(result.changed).toBe(false);
  });

  it.each([
    ['an unknown attribute', 'shoeSize'],
    ['an unknown sub-attribute', 'name.nickname'],
    ['an unknown sub-attribute after a filter', 'emails[type eq "work"].address'],
    ['an unknown enterprise attribute', `${ENTERPRISE}:shoeSize`],
    ['a filter on a simple attribute', 'displayName[value eq "x"]'],
    ['a malformed path', 'emails[type eq "work"'],
    ['an empty path', ''],
  ])('invalidPath: %s', (_, path) => {
    scimError(() => patch(entraUser(), [{ op: 'replace', path, value: 'x' }]), 'invalidPath');
  });

  it('noTarget: remove without a path', () => {
    scimError(() => patch(entraUser(), [{ op: 'Remove', value: { displayName: 'x' } }]), 'noTarget');
  });

  it('noTarget: replace through a filter that matches no single-valued value', () => {
    scimError(() => patch(entraUser(), [{ op: 'replace', path: 'name[givenName eq "nobody"].familyName', value: 'x' }]), 'noTarget');
  });

  it('noTarget: add through a filter that selects nothing and describes no element', () => {
    scimError(() => patch(entraUser(), [{ op: 'add', path: 'emails[type ne "work"].value', value: 'x' }]), 'noTarget');
  });

  it.each([
    ['a string for a complex attribute', 'name', 'Ann'],
    ['an object for a string attribute', 'displayName', { value: 'Ann' }],
    ['an array for a single-valued attribute', 'displayName', ['Ann']],
    ['a number for a string attribute', 'title', 7],
    ['a non-boolean string for a boolean', 'active', 'yes'],
    ['a number for a boolean', 'active', 1],
    ['a string element for a complex multi-valued attribute', 'emails', ['ann@example.com']],
    ['a boolean string that is not one for a sub-attribute', 'emails[type eq "work"].primary', 'maybe'],
    ['no value for add', 'nickName', undefined],
  ])('invalidValue: %s', (_, path, value) => {
    scimError(() => patch(entraUser(), [{ op: 'add', path, value }]), 'invalidValue');
  });

  it.each([['a string', 'active=false'], ['an array', [{ active: false }]], ['nothing', undefined]])('invalidValue: a path-less value that is %s', (_, value) => {
    scimError(() => patch(entraUser(), [{ op: 'replace', value }]), 'invalidValue');
  });

  it('invalidValue: a wrongly typed value inside a path-less value object', () => {
    scimError(() => patch(entraUser(), [{ op: 'replace', value: { active: 'nope' } }]), 'invalidValue');
  });
});
