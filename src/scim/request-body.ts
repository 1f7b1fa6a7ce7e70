import { badRequest } from './errors';
import { loneSurrogateAt } from './unicode';

/**
 * The deepest SCIM body nests six levels (a PATCH value holding the enterprise extension's
 * manager); a customer's own extension gets ample room. Deeper bodies would overflow the stack
 * of the recursive code that reads them (canonicalisation, NUL checks, PATCH).
 */
export const MAX_JSON_DEPTH = 32;

const WHERE_SHOWN = 120;

const shown = (where: string) => (where === '' ? 'the body' : `"${where.length > WHERE_SHOWN ? `${where.slice(0, WHERE_SHOWN)}…` : where}"`);

/**
 * Checks a parsed JSON body before anything walks it: at most MAX_JSON_DEPTH levels of objects
 * and arrays (400 invalidSyntax), every key and string well-formed Unicode (400 invalidValue).
 * Iterative, so any body express.json could parse is safe to check.
 */
export function checkRequestBody(body: unknown): void {
  const pending: { value: unknown; depth: number; where: string }[] = [{ value: body, depth: 0, where: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, depth, where } = item;
    if (typeof value === 'string') {
      if (loneSurrogateAt(value) >= 0) throw unpaired(`the text of ${shown(where)}`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw badRequest('invalidSyntax', `The body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels, at ${shown(where)}.`);
    }
    const array = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      if (!array && loneSurrogateAt(key) >= 0) throw unpaired(`a key in ${shown(where)}`);
      pending.push({ value: child, depth: depth + 1, where: where === '' ? key : `${where}.${key}` });
    }
  }
}

const unpaired = (what: string) =>
  badRequest('invalidValue', `Text must be valid Unicode: ${what} holds an unpaired surrogate (a \\ud800-\\udfff escape without its pair).`);
