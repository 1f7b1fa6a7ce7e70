import fc from 'fast-check';
import { ScimError } from '../../../../src/scim/errors';
import { applyPatch, type PatchOperation } from '../../../../src/scim/patch';
import { userResourceType } from '../../../../src/scim/schema/resource-types';
import { ENTERPRISE, entraUser, group, patch, patchGroup } from './support';

type Op = { op: string; path?: string; value?: unknown };

const text = fc.string({ minLength: 1, maxLength: 8 });
const opName = (name: string) => fc.constantFrom(name, name[0]!.toUpperCase() + name.slice(1));

/** Replace operations Entra and Okta send, with paths in any case. */
const replaceOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: opName('replace'), path: fc.constantFrom('displayName', 'NICKNAME', 'title', 'name.givenName', `${ENTERPRISE}:department`), value: text }),
  fc.record({ op: opName('replace'), path: fc.constant('active'), value: fc.constantFrom(true, false, 'True', 'False') }),
  fc.record({
    op: opName('replace'),
    path: fc.constantFrom('emails[type eq "work"].value', 'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].locality', `${ENTERPRISE}:manager.value`),
    value: text,
  }),
  fc.record({ op: opName('replace'), path: fc.constant('emails[type eq "home"].primary'), value: fc.boolean() }),
  fc.record({
    op: opName('replace'),
    path: fc.constant('emails'),
    value: fc.array(fc.record({ type: fc.constantFrom('work', 'home'), value: text, primary: fc.boolean() }), { maxLength: 3 }),
  }),
  fc.record({ op: opName('replace'), value: fc.record({ displayName: text, 'name.familyName': text, [`${ENTERPRISE}:manager`]: fc.record({ value: text }) }, { requiredKeys: [] }) }),
);

const anyOp: fc.Arbitrary<Op> = fc.oneof(
  replaceOp,
  fc.record({ op: fc.constantFrom('add', 'Add'), path: fc.constantFrom('emails', 'phoneNumbers'), value: fc.array(fc.record({ type: fc.constantFrom('work', 'home'), value: text })) }),
  fc.record({ op: fc.constantFrom('remove', 'Remove'), path: fc.constantFrom('name.givenName', 'emails[type eq "work"]', 'emails', `${ENTERPRISE}:manager`, 'id', 'shoeSize') }),
);

describe('PATCH properties', () => {
  it('applying the same replace operations twice gives the result of applying them once', () => {
    fc.assert(
      fc.property(fc.array(replaceOp, { minLength: 1, maxLength: 6 }), (operations) => {
        const once = patch(entraUser(), operations);
        const twice = patch(once.resource, operations);
        expect(twice.resource).toEqual(once.resource);
        expect(twice.changed).toBe(false);
      }),
    );
  });

  it('adding members already in the group is no change', () => {
    const memberId = fc.string({ minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(memberId, { minLength: 1, maxLength: 30 }), fc.nat(), (ids, seed) => {
        const start = group(ids);
        const again = ids.filter((_, i) => (i + seed) % 3 !== 0).concat(ids.slice(0, 2)).map((value) => ({ value }));
        const result = patchGroup(start, [{ op: 'Add', path: 'members', value: again }]);
        expect(result.changed).toBe(false);
        expect(result.resource).toEqual(start);
      }),
    );
  });

  it('never modifies its input, whether the operations succeed or fail', () => {
    fc.assert(
      fc.property(fc.array(anyOp, { minLength: 1, maxLength: 8 }), (operations) => {
        const input = entraUser();
        const copy = structuredClone(input);
        const normalised = operations.map((operation) => ({ ...operation, op: operation.op.toLowerCase() as PatchOperation['op'] }));
        try {
          applyPatch(input, normalised, userResourceType);
        } catch (error) {
          if (!(error instanceof ScimError)) throw error;
        }
        expect(input).toEqual(copy);
      }),
    );
  });
});
