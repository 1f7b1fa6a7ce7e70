import { LexError, tokenize } from '../../../../src/scim/filter/lexer';

describe('tokenize', () => {
  it('splits words, strings and brackets, recording positions', () => {
    expect(tokenize('emails[type eq "work"]').map(({ kind, text, position }) => [kind, text, position])).toEqual([
      ['word', 'emails', 0],
      ['[', '[', 6],
      ['word', 'type', 7],
      ['word', 'eq', 12],
      ['string', '"work"', 15],
      [']', ']', 21],
      ['end', '', 22],
    ]);
  });

  it('keeps URNs with dots and colons as one word', () => {
    const [first] = tokenize('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr');
    expect(first?.text).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value');
  });

  it('decodes JSON escapes in strings', () => {
    const [token] = tokenize(String.raw`"a\"b\\c\u00e9\n"`);
    expect(token?.value).toBe('a"b\\cé\n');
  });

  it('treats tabs and newlines as whitespace', () => {
    expect(tokenize('a\tpr\n').map((t) => t.kind)).toEqual(['word', 'word', 'end']);
  });

  it.each([
    ['"abc', /no closing quote/],
    [String.raw`"abc\"`, /no closing quote/],
    [String.raw`"\x"`, /not a valid JSON string/],
  ])('rejects the malformed string %s', (text, problem) => {
    expect(() => tokenize(text)).toThrow(LexError);
    expect(() => tokenize(text)).toThrow(problem);
  });

  it.each([
    [String.raw`"x\ud800"`, 0],
    [String.raw`a eq "\udc00"`, 5],
    ['a eq x\ud800', 6],
    ['a eq "\udfff"', 6],
  ])('rejects the unpaired surrogate in %s as a bad value, at its position', (text, position) => {
    let error: unknown;
    try {
      tokenize(text);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(LexError);
    expect(error).toMatchObject({ position, scimType: 'invalidValue', problem: expect.stringMatching(/unpaired surrogate/) });
  });

  it('keeps surrogate pairs, escaped or not', () => {
    expect(tokenize(String.raw`"\ud83d\ude00 😀"`)[0]?.value).toBe('😀 😀');
  });
});
