import { MAX_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from '../../../../src/scim/patch';
import { scimError } from './support';

const body = (Operations: unknown, schemas: unknown = [PATCH_OP_SCHEMA]) => ({ schemas, Operations });

describe('parsePatchRequest', () => {
  it('reads Entra capitalised ops as lower case and a null path as none', () => {
    const request = parsePatchRequest(body([{ op: 'Replace', path: 'active', value: 'False' }, { op: 'ADD', path: null, value: { nickName: 'x' } }]));
    expect(request.Operations).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'add', path: undefined, value: { nickName: 'x' } },
    ]);
  });

  it('accepts a remove without a value and one op with 10,000 members', () => {
    const members = Array.from({ length: 10_000 }, (_, i) => ({ value: `u${i}` }));
    expect(parsePatchRequest(body([{ op: 'remove', path: 'members[value eq "u1"]' }, { op: 'add', path: 'members', value: members }])).Operations).toHaveLength(2);
  });

  it.each([
    ['a body that is not an object', 'Operations'],
    ['no PatchOp schema', body([{ op: 'add', value: {} }], ['urn:ietf:params:scim:schemas:core:2.0:User'])],
    ['no schemas', { Operations: [{ op: 'add', value: {} }] }],
    ['no operations', body([])],
    ['operations that are not an array', body({ op: 'add', value: {} })],
    ['an unknown op', body([{ op: 'update', path: 'displayName', value: 'x' }])],
    ['a path that is not a string', body([{ op: 'remove', path: 7 }])],
    ['too many operations', body(Array.from({ length: MAX_OPERATIONS + 1 }, () => ({ op: 'remove', path: 'title' })))],
  ])('rejects %s as invalidSyntax', (_, input) => {
    scimError(() => parsePatchRequest(input), 'invalidSyntax');
  });

  it('rejects add and replace without a value as invalidValue', () => {
    const error = scimError(() => parsePatchRequest(body([{ op: 'remove', path: 'title' }, { op: 'Replace', path: 'title' }])), 'invalidValue');
    expect(error.detail).toContain('Operations.1');
  });
});
