import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { canonicalJson, deepEqual, isPlainObject } from './json';

/**
 * An immutable `value` (group members) identifies its element; other elements are the same when equal.
 * Identities go into a Set so 10,000-member PATCHes stay linear.
 */
export function identifiedByValue(definition: AttributeDefinition): boolean {
  return findAttribute(definition.subAttributes ?? [], 'value')?.mutability === 'immutable';
}

function identity(definition: AttributeDefinition): (element: unknown) => string {
  if (!identifiedByValue(definition)) return canonicalJson;
  return (element) => (isPlainObject(element) && typeof element.value === 'string' ? `value:${element.value}` : canonicalJson(element));
}

/** The result of an operation on a multi-valued attribute, with the elements it wrote (for the primary rule). */
export interface MultiValuedChange {
  values: unknown[];
  written: unknown[];
}

/** `add`: appends the elements not already there. */
export function appendDistinct(definition: AttributeDefinition, existing: readonly unknown[], added: readonly unknown[]): MultiValuedChange {
  const key = identity(definition);
  const seen = new Set(existing.map(key));
  const written = added.filter((element) => {
    const k = key(element);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { values: [...existing, ...written], written };
}

/** `replace`: the given elements, each once. */
export function distinct(definition: AttributeDefinition, elements: readonly unknown[]): MultiValuedChange {
  return appendDistinct(definition, [], elements);
}

/**
 * `remove` with a value (Entra's `{"op":"Remove","path":"members","value":[{"value":"id"}]}`): removes
 * only the elements listed. A listed element matches an element that has all its sub-attribute values.
 */
export function removeListed(definition: AttributeDefinition, existing: readonly unknown[], listed: readonly unknown[]): unknown[] {
  if (identifiedByValue(definition)) {
    const values = new Set<unknown>(listed.filter(isPlainObject).map((element) => element.value).filter((value) => typeof value === 'string'));
    return existing.filter((element) => !(isPlainObject(element) && values.has(element.value)));
  }
  return existing.filter((element) => !listed.some((wanted) => contains(element, wanted)));
}

function contains(element: unknown, wanted: unknown): boolean {
  if (!isPlainObject(element) || !isPlainObject(wanted)) return deepEqual(element, wanted);
  return Object.keys(wanted).every((name) => deepEqual(wanted[name], element[name]));
}

/** RFC 7643 §2.4: when an operation makes an element primary, the others stop being primary. */
export function keepOnePrimary(values: readonly unknown[], written: readonly unknown[]): unknown[] {
  const chosen = written.findLast((element) => isPlainObject(element) && element.primary === true);
  if (chosen === undefined) return [...values];
  return values.map((element) => (element !== chosen && isPlainObject(element) && element.primary === true ? { ...element, primary: false } : element));
}
