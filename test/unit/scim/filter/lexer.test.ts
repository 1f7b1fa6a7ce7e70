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
});
