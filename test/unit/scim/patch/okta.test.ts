import { group, memberIds, patch, patchGroup, entraUser } from './support';

// Requests from okta/okta-developer-docs reference/scim/scim-20.
describe('Okta', () => {
  it('deactivates and reactivates with a path-less replace', () => {
    const inactive = patch(entraUser(), [{ op: 'replace', value: { active: false } }]);
    expect(inactive.resource.active).toBe(false);
    expect(patch(inactive.resource, [{ op: 'replace', value: { active: true } }]).resource.active).toBe(true);
  });

  it('renames a group, ignoring the read-only id sent with the new name', () => {
    const { resource, changed } = patchGroup(group(['a']), [{ op: 'replace', value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Test SCIMv2' } }]);
    expect(changed).toBe(true);
    expect(resource).toMatchObject({ id: 'g-1', displayName: 'Test SCIMv2', members: [{ value: 'a' }] });
  });

  it('sends the unchanged name with a membership update: only the members change', () => {
    const { resource } = patchGroup(group(['89bb1940', 'stays']), [
      { op: 'replace', value: { id: 'g-1', displayName: 'Sales' } },
      { op: 'remove', path: 'members[value eq "89bb1940"]' },
      { op: 'add', path: 'members', value: [{ value: '23a35c27', display: 'test.user@okta.local' }] },
    ]);
    expect(resource.displayName).toBe('Sales');
    expect(memberIds(resource)).toEqual(['stays', '23a35c27']);
  });

  it('replaces the whole member list', () => {
    const { resource } = patchGroup(group(['a', 'b']), [{ op: 'replace', path: 'members', value: [{ value: 'c' }, { value: 'a' }] }]);
    expect(memberIds(resource)).toEqual(['c', 'a']);
  });

  it('never stores a password, with or without a path', () => {
    const { resource, changed } = patch(entraUser(), [
      { op: 'replace', value: { password: 'hunter2' } },
      { op: 'replace', path: 'password', value: 'hunter2' },
    ]);
    expect(changed).toBe(false);
    expect(resource).not.toHaveProperty('password');
  });
});
