import fc from 'fast-check';
import { parseAttributeList } from '../../../../src/scim/resources/attribute-list';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, userResourceType } from '../../../../src/scim/schema/resource-types';
import { expectBadRequest } from '../filter/expect-scim-error';

const parse = (list: string) => parseAttributeList(list, userResourceType);

describe('parseAttributeList', () => {
  it('reads names, sub-attributes and schema URNs, lower-cased', () => {
    expect(parse(`userName, name.givenName,EMAILS.Value,${USER_SCHEMA}:title,${ENTERPRISE_USER_SCHEMA},${ENTERPRISE_USER_SCHEMA}:manager.value`)).toEqual([
      { top: 'username' },
      { top: 'name', inner: 'givenname' },
      { top: 'emails', inner: 'value' },
      { top: 'title' },
      { top: ENTERPRISE_USER_SCHEMA.toLowerCase() },
      { top: ENTERPRISE_USER_SCHEMA.toLowerCase(), inner: 'manager' },
    ]);
    expect(parse(' , ,')).toEqual([]);
  });

  it.each<[string, { top: string; inner?: string }[]]>([
    ['emails[type eq "work"]', [{ top: 'emails' }]],
    ['emails[type eq "work"].value', [{ top: 'emails', inner: 'value' }]],
    ['emails[value co ","],userName', [{ top: 'emails' }, { top: 'username' }]],
    [String.raw`emails[value eq "a\"],]"],title`, [{ top: 'emails' }, { top: 'title' }]],
    [`${USER_SCHEMA}:addresses[type eq "work" and primary eq true].locality`, [{ top: 'addresses', inner: 'locality' }]],
    [`${ENTERPRISE_USER_SCHEMA}:manager[value eq "m"]`, [{ top: ENTERPRISE_USER_SCHEMA.toLowerCase(), inner: 'manager' }]],
    ['emails[type eq "work"', [{ top: 'emails' }]],
  ])('reads the value filter in %j as the attribute it filters', (list, expected) => {
    expect(parse(list)).toEqual(expected);
  });

  it('reads any value filter after a name as that name', () => {
    const attribute = fc.constantFrom<[string, string?]>(['userName'], ['emails'], ['name', 'givenName'], [`${ENTERPRISE_USER_SCHEMA}:manager`, 'value'], ['phoneNumbers', 'value']);
    const value = fc.string({ maxLength: 12 });
    const text = ([name, sub]: [string, string?], filter: string) => `${name}${filter}${sub === undefined ? '' : `.${sub}`}`;
    fc.assert(
      fc.property(fc.array(fc.tuple(attribute, fc.option(value)), { minLength: 1, maxLength: 5 }), (entries) => {
        const plain = entries.map(([path]) => text(path, '')).join(',');
        const filtered = entries.map(([path, v]) => text(path, v === null ? '' : `[value eq ${JSON.stringify(v)}]`)).join(',');
        expect(parse(filtered)).toEqual(parse(plain));
      }),
    );
  });

  it('refuses a name longer than 300 characters as 400 invalidValue', () => {
    expectBadRequest(() => parse(`userName,${'a'.repeat(301)}`), 'invalidValue', /too long/);
  });
});
