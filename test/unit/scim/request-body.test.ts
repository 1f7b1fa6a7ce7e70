import fc from 'fast-check';
import { checkRequestBody, MAX_JSON_DEPTH } from '../../../src/scim/request-body';
import { expectBadRequest } from './filter/expect-scim-error';

/** `levels` objects, each holding the next under "a", as JSON text and parsed. */
const nestedObjects = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`) as unknown;
const nestedArrays = (levels: number) => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) as unknown;

describe('checkRequestBody: nesting', () => {
  it('accepts the deepest body an IdP sends, and MAX_JSON_DEPTH levels of anything', () => {
    const manager = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', value: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'm1' } } } }],
    };
    expect(() => checkRequestBody(manager)).not.toThrow();
    expect(() => checkRequestBody(nestedObjects(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkRequestBody(nestedArrays(MAX_JSON_DEPTH))).not.toThrow();
  });

  it('rejects one level more as 400 invalidSyntax naming the limit and where', () => {
    expectBadRequest(() => checkRequestBody(nestedObjects(MAX_JSON_DEPTH + 1)), 'invalidSyntax', /deeper than 32 levels, at "a(\.a){31}"/);
    expectBadRequest(() => checkRequestBody(nestedArrays(MAX_JSON_DEPTH + 1)), 'invalidSyntax', /deeper than 32 levels/);
  });

  it('checks 100,000 levels without overflowing the stack', () => {
    expectBadRequest(() => checkRequestBody(nestedObjects(100_000)), 'invalidSyntax', /deeper than 32/);
    expectBadRequest(() => checkRequestBody(nestedArrays(100_000)), 'invalidSyntax', /deeper than 32/);
  });

  it('accepts any shallow JSON value of well-formed text', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
      checkRequestBody(value);
    }));
  });
});

describe('checkRequestBody: unpaired surrogates', () => {
  it.each<[string, unknown, RegExp]>([
    ['a value', { userName: 'x\ud800' }, /the text of "userName" holds an unpaired surrogate/],
    ['a nested value', { name: { givenName: '\udc00' } }, /"name\.givenName"/],
    ['an array element', { emails: [{ value: 'a@b.c' }, { value: '\udfffx' }] }, /"emails\.1\.value"/],
    ['a key', { 'urn:x': { ['badge\ud800']: '1' } }, /a key in "urn:x" holds an unpaired surrogate/],
    ['a top-level key', { ['x\udbff']: 1 }, /a key in the body/],
    ['a PATCH value', { Operations: [{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'A\ud800' }] }] }, /"Operations\.0\.value\.0\.display"/],
  ])('rejects %s as 400 invalidValue naming where', (_name, body, detail) => {
    expectBadRequest(() => checkRequestBody(body), 'invalidValue', detail);
  });

  it('rejects the JSON escape as express.json decodes it', () => {
    expectBadRequest(() => checkRequestBody(JSON.parse(String.raw`{"userName":"x\ud800"}`)), 'invalidValue');
  });

  it('accepts surrogate pairs, written as escapes or not', () => {
    expect(() => checkRequestBody(JSON.parse(String.raw`{"displayName":"\ud83d\ude00 😀"}`))).not.toThrow();
  });
});
