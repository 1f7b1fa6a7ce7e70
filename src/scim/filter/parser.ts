import { badRequest } from '../errors';
import type { AttributePath, CompareOperator, FilterNode, FilterValue, PatchPath } from './ast';
import { isAttributeName, readAttributePath } from './attribute-path';
import { LexError, tokenize, type Token } from './lexer';

/** Far longer than any filter an IdP sends; short enough that a hostile one costs little. */
export const MAX_INPUT_LENGTH = 8192;
/** Parentheses, `not` and value filters are the only recursion; this bounds the stack. */
export const MAX_NESTING = 50;

const COMPARE_OPERATORS: ReadonlySet<string> = new Set<CompareOperator>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const OPERATOR_LIST = 'eq, ne, co, sw, ew, gt, ge, lt, le or pr';

type Syntax = { scimType: 'invalidFilter'; noun: 'filter' } | { scimType: 'invalidPath'; noun: 'path' };
const FILTER: Syntax = { scimType: 'invalidFilter', noun: 'filter' };
const PATH: Syntax = { scimType: 'invalidPath', noun: 'path' };

/** RFC 7644 §3.4.2.2 filter. Every failure is a ScimError 400 invalidFilter saying where and what was expected. */
export function parseFilter(text: string): FilterNode {
  return withParser(text, FILTER, (parser) => parser.completeFilter());
}

/** RFC 7644 §3.5.2 PATH: attrPath, or valuePath with an optional `.subAttr`. Failures are 400 invalidPath. */
export function parsePatchPath(text: string): PatchPath {
  return withParser(text, PATH, (parser) => parser.completePatchPath());
}

function withParser<T>(text: string, syntax: Syntax, parse: (parser: Parser) => T): T {
  // Query parameters can arrive as arrays when repeated; the type alone does not guarantee a string.
  if (typeof text !== 'string') throw badRequest(syntax.scimType, `The ${syntax.noun} must be a string`);
  if (text.trim() === '') throw badRequest(syntax.scimType, `The ${syntax.noun} is empty`);
  if (text.length > MAX_INPUT_LENGTH) {
    throw badRequest(syntax.scimType, `The ${syntax.noun} is ${text.length} characters long; at most ${MAX_INPUT_LENGTH} are accepted`);
  }
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (error instanceof LexError) throw badRequest(error.scimType ?? syntax.scimType, at(syntax, error.position, error.problem));
    throw error;
  }
  return parse(new Parser(tokens, syntax));
}

const at = (syntax: Syntax, position: number, problem: string) => `Invalid ${syntax.noun} at character ${position + 1}: ${problem}`;

class Parser {
  private index = 0;
  private depth = 0;
  private readonly end: Token;

  constructor(
    private readonly tokens: Token[],
    private readonly syntax: Syntax,
  ) {
    this.end = tokens[tokens.length - 1] ?? { kind: 'end', text: '', position: 0 };
  }

  completeFilter(): FilterNode {
    const filter = this.disjunction(false);
    const rest = this.peek();
    if (rest.kind === ')') this.fail(rest, 'this ")" has no matching "("');
    if (rest.kind !== 'end') this.expected('"and", "or" or the end of the filter');
    return filter;
  }

  completePatchPath(): PatchPath {
    const first = this.peek();
    if (first.kind !== 'word') this.expected('an attribute name');
    this.next();
    const path = this.attributePath(first);
    if (this.peek().kind !== '[') {
      if (this.peek().kind !== 'end') this.expected('"[" or the end of the path');
      return { path };
    }
    if (path.subAttribute !== undefined) this.fail(this.peek(), `a value filter cannot follow the sub-attribute in "${first.text}"`);
    const valueFilter = this.valueFilter();
    const dot = this.peek();
    if (dot.kind === 'end') return { path, valueFilter };
    if (dot.kind !== 'word' || !dot.text.startsWith('.')) this.expected('"." and a sub-attribute, or the end of the path');
    this.next();
    const subAttribute = this.subAttributeName(dot);
    if (this.peek().kind !== 'end') this.expected('the end of the path');
    return { path, valueFilter, subAttribute };
  }

  /** `or` binds loosest, so it is the outer loop; chains are iterative, not recursive. */
  private disjunction(inValueFilter: boolean): FilterNode {
    let left = this.conjunction(inValueFilter);
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction(inValueFilter) };
    }
    return left;
  }

  private conjunction(inValueFilter: boolean): FilterNode {
    let left = this.negation(inValueFilter);
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.negation(inValueFilter) };
    }
    return left;
  }

  /** RFC 7644 writes `not (…)`; a bare `not x eq y` is accepted too and negates only the next condition. */
  private negation(inValueFilter: boolean): FilterNode {
    const token = this.peek();
    if (!this.isKeyword(token, 'not')) return this.atom(inValueFilter);
    this.next();
    return this.nested(token, () => ({ kind: 'not', filter: this.negation(inValueFilter) }));
  }

  private atom(inValueFilter: boolean): FilterNode {
    const token = this.peek();
    if (token.kind === '(') {
      this.next();
      const filter = this.nested(token, () => this.disjunction(inValueFilter));
      this.expect(')', `")" to close the "(" at character ${token.position + 1}`);
      return filter;
    }
    if (token.kind !== 'word' || this.isKeyword(token, 'and') || this.isKeyword(token, 'or')) {
      this.expected('an attribute name, "(" or "not"');
    }
    this.next();
    const path = this.attributePath(token);
    if (this.peek().kind !== '[') return this.condition(path, token);

    const bracket = this.peek();
    if (inValueFilter) this.fail(bracket, 'value filters cannot be nested');
    if (path.subAttribute !== undefined) this.fail(bracket, `a value filter cannot follow the sub-attribute in "${token.text}"`);
    const inner = this.valueFilter();
    const dot = this.peek();
    if (dot.kind !== 'word' || !dot.text.startsWith('.')) return { kind: 'valuePath', path, filter: inner };
    // `emails[type eq "work"].value eq "x"` is outside the RFC grammar, but its meaning is plain:
    // a condition on the same element, so it folds into the value filter.
    this.next();
    const condition = this.condition({ attribute: this.subAttributeName(dot) }, dot);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: condition } };
  }

  private condition(path: AttributePath, pathToken: Token): FilterNode {
    const token = this.peek();
    const operator = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (operator === 'pr') {
      this.next();
      return { kind: 'present', path };
    }
    if (!COMPARE_OPERATORS.has(operator)) this.expected(`an operator (${OPERATOR_LIST}) after "${pathToken.text}"`);
    this.next();
    return { kind: 'compare', path, operator: operator as CompareOperator, value: this.value(token) };
  }

  private value(operatorToken: Token): FilterValue {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return token.value ?? '';
    }
    if (token.kind !== 'word') {
      this.expected(`a value after "${operatorToken.text}" (a "quoted string", a number, true, false or null)`);
    }
    this.next();
    const word = token.text;
    const lower = word.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (JSON_NUMBER.test(word)) {
      const number = Number(word);
      if (!Number.isFinite(number)) this.fail(token, `the number ${word} is out of range`);
      return number;
    }
    // Entra sends unquoted values (`externalId eq 1234abcd`): a bare word is taken as a string.
    return word;
  }

  private valueFilter(): FilterNode {
    const bracket = this.next();
    const filter = this.nested(bracket, () => this.disjunction(true));
    this.expect(']', `"]" to close the "[" at character ${bracket.position + 1}`);
    return filter;
  }

  private attributePath(token: Token): AttributePath {
    const path = readAttributePath(token.text);
    if ('problem' in path) this.fail(token, path.problem);
    return path;
  }

  private subAttributeName(dotToken: Token): string {
    const name = dotToken.text.slice(1);
    if (!isAttributeName(name)) this.fail(dotToken, `"${name}" is not a valid sub-attribute name`);
    return name;
  }

  private nested<T>(token: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING) this.fail(token, `nesting deeper than ${MAX_NESTING} levels is not supported`);
    this.depth++;
    const result = parse();
    this.depth--;
    return result;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.end;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private expect(kind: Token['kind'], what: string): void {
    if (this.peek().kind !== kind) this.expected(what);
    this.next();
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private expected(what: string): never {
    const token = this.peek();
    return this.fail(token, `expected ${what}, found ${this.describe(token)}`);
  }

  private fail(token: Token, problem: string): never {
    throw badRequest(this.syntax.scimType, at(this.syntax, token.position, problem));
  }

  private describe(token: Token): string {
    if (token.kind === 'end') return `the end of the ${this.syntax.noun}`;
    const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
    return token.kind === 'string' ? text : `"${text}"`;
  }
}
