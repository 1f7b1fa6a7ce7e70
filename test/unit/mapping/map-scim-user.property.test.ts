import fc from 'fast-check';
import { mapScimUser, TARGET_USER_FIELDS, type FieldMapping } from '../../../src/mapping';
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/resource-types';

const KNOWN_KEYS = ['userName', 'externalId', 'name', 'displayName', 'title', 'active', 'emails', 'phoneNumbers', 'addresses', ENTERPRISE_USER_SCHEMA, 'urn:acme:User'];

const PATHS = [
  'title',
  'emails',
  'name.givenName',
  'addresses[type eq "work"].locality',
  'emails[primary eq true].value',
  `${ENTERPRISE_USER_SCHEMA}:costCenter`,
  `${ENTERPRISE_USER_SCHEMA}:manager`,
  'urn:acme:User:badge',
  'urn:acme:User:badge.number',
];

const SUB_KEYS = ['value', 'type', 'primary', 'givenName', 'familyName', 'formatted', 'department', 'manager', 'managerId', 'displayName', 'locality', 'badge'];
const element = fc.dictionary(fc.constantFrom(...SUB_KEYS), fc.jsonValue());

/** Arbitrary JSON under the attribute names the mapping reads, so odd shapes reach the readers. */
const nearUser = fc.dictionary(fc.constantFrom(...KNOWN_KEYS), fc.oneof(fc.jsonValue(), element, fc.array(element)));

const anyObject = fc.oneof(fc.object(), nearUser, fc.array(fc.jsonValue()));

const mappings: fc.Arbitrary<FieldMapping[]> = fc.array(
  fc.record({ scimPath: fc.oneof(fc.string(), fc.constantFrom(...PATHS)), customFieldKey: fc.string() }),
  { maxLength: 5 },
);

describe('mapScimUser on arbitrary input', () => {
  it('never throws and always answers trimmed text or null', () => {
    fc.assert(
      fc.property(anyObject, mappings, (resource, fieldMappings) => {
        const user = mapScimUser(resource, fieldMappings);
        expect(typeof user.active).toBe('boolean');
        for (const name of TARGET_USER_FIELDS) {
          const value = user[name];
          if (typeof value === 'string') expect(value.trim() === value && value !== '').toBe(true);
          else expect([null, true, false]).toContain(value);
        }
        for (const value of Object.values(user.customFields)) {
          expect(typeof value === 'string' && value.trim() === value && value !== '').toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
