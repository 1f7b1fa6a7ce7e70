import { returnsAttribute, selectAttributes } from '../../../../src/scim/resources/attribute-selection';
import { GROUP_SCHEMA, groupResourceType, userResourceType } from '../../../../src/scim/schema/resource-types';

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'ann@example.com',
  title: 'Lead',
  emails: [
    { value: 'ann@example.com', type: 'work', primary: true },
    { value: 'ann@home.org', type: 'home' },
  ],
  meta: { resourceType: 'User' },
};

describe('selectAttributes', () => {
  it('reads attributes=emails[type eq "work"] as emails: every email, nothing else but id, schemas and meta', () => {
    const { schemas, id, meta, emails } = user;
    expect(selectAttributes(user, userResourceType, { attributes: 'emails[type eq "work"]' })).toEqual({ schemas, id, meta, emails });
    expect(selectAttributes(user, userResourceType, { attributes: 'emails[type eq "work"].value,title' })).toEqual({
      schemas,
      id,
      meta,
      title: 'Lead',
      emails: [{ value: 'ann@example.com' }, { value: 'ann@home.org' }],
    });
  });

  it('reads excludedAttributes=emails[type eq "home"] as emails', () => {
    expect(selectAttributes(user, userResourceType, { excludedAttributes: 'emails[type eq "home"]' })).not.toHaveProperty('emails');
  });
});

describe('returnsAttribute', () => {
  it.each<[{ attributes?: string; excludedAttributes?: string }, boolean]>([
    [{}, true],
    [{ attributes: 'displayName' }, false],
    [{ attributes: 'displayName,members' }, true],
    [{ attributes: 'members.display' }, true],
    [{ attributes: 'members[value eq "u1"]' }, true],
    [{ attributes: `${GROUP_SCHEMA}:members` }, true],
    [{ excludedAttributes: 'members' }, false],
    [{ excludedAttributes: `${GROUP_SCHEMA.toUpperCase()}:MEMBERS` }, false],
    [{ excludedAttributes: 'members[type eq "User"]' }, false],
    [{ excludedAttributes: 'members.display' }, true],
    [{ excludedAttributes: 'displayName' }, true],
    [{ attributes: 'members', excludedAttributes: 'members' }, true],
  ])('members with %j: %s', (query, expected) => {
    expect(returnsAttribute(groupResourceType, query, 'members')).toBe(expected);
  });
});
