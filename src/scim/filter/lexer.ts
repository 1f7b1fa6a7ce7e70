import { loneSurrogateAt } from '../unicode';

/**
 * Splits a filter or PATCH path into tokens. Anything that is not whitespace, a bracket or a
 * quoted string is one `word` (attribute paths, operators, keywords, numbers, bare values):
 * the parser decides what a word means from where it stands, so the lexer itself never fails
 * except on a malformed string literal or on text no value may hold (NUL, unpaired surrogates).
 */
export type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for a string, including its quotes). */
  text: string;
  /** Zero-based offset of the token's first character. */
  position: number;
  /** The decoded value of a string literal. */
  value?: string;
}

export class LexError extends Error {
  constructor(
    readonly position: number,
    readonly problem: string,
    /** A value no attribute can hold is a bad value, not bad filter or path syntax. */
    readonly scimType?: 'invalidValue',
  ) {
    super(problem);
  }
}

const PUNCTUATION = new Set(['(', ')', '[', ']']);
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const endsWord = (c: string) => isWhitespace(c) || PUNCTUATION.has(c) || c === '"';

/** No stored text holds U+0000 (PostgreSQL under FerretDB cannot store it, nor query for it). */
const NUL = '\u0000';
const UNPAIRED = 'an unpaired surrogate (a \\ud800-\\udfff escape without its pair), which is not valid Unicode text';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  if (text.includes(NUL)) throw new LexError(text.indexOf(NUL), 'the NUL character is not allowed');
  const lone = loneSurrogateAt(text);
  if (lone >= 0) throw new LexError(lone, `this is ${UNPAIRED}`, 'invalidValue');
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (isWhitespace(c)) {
      i++;
    } else if (PUNCTUATION.has(c)) {
      tokens.push({ kind: c as TokenKind, text: c, position: i });
      i++;
    } else if (c === '"') {
      const token = readString(text, i);
      tokens.push(token);
      i += token.text.length;
    } else {
      const start = i;
      while (i < text.length && !endsWord(text.charAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), position: start });
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** RFC 7644 string values are JSON strings, escapes included. */
function readString(text: string, start: number): Token {
  let i = start + 1;
  while (i < text.length && text.charAt(i) !== '"') {
    i += text.charAt(i) === '\\' ? 2 : 1;
  }
  if (i >= text.length) throw new LexError(start, 'the string starting here has no closing quote');
  const literal = text.slice(start, i + 1);
  let value: unknown;
  try {
    value = JSON.parse(literal);
  } catch {
    throw new LexError(start, 'the string starting here is not a valid JSON string (bad escape or control character)');
  }
  if ((value as string).includes(NUL)) throw new LexError(start, 'the string starting here holds the NUL character, which no value can');
  if (loneSurrogateAt(value as string) >= 0) throw new LexError(start, `the string starting here holds ${UNPAIRED}`, 'invalidValue');
  return { kind: 'string', text: literal, position: start, value: value as string };
}
