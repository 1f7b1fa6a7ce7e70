import { badRequest } from '../errors';
import type { FilterNode } from '../filter';
import type { AttributeDefinition } from '../schema/attribute';
import type { ResourceTypeDefinition } from '../schema/resource-types';
import { elementMatcher, filterEqualities } from './element-filter';
import { isPlainObject, type JsonObject } from './json';
import { appendDistinct, distinct, keepOnePrimary, removeListed } from './multi-valued';
import type { PatchOpName } from './patch-request';
import type { AttributeTarget } from './target';
import { coerceComplex, coerceOne, coerceValue, coerceValues } from './values';

/**
 * The attribute's value after one operation (RFC 7644 §3.5.2); undefined leaves it unassigned.
 * Replacing with null clears the target, as RFC 7643 §2.5 makes null and unassigned the same.
 */
export function updateAttribute(current: unknown, target: AttributeTarget, op: PatchOpName, value: unknown, type: ResourceTypeDefinition): unknown {
  const effective = value === null ? 'remove' : op;
  const { definition, filter } = target;
  if (filter) {
    const filtered = { ...target, filter };
    return definition.multiValued ? updateSelected(current, filtered, effective, value, type) : updateIfMatching(current, filtered, effective, value, type);
  }
  if (definition.multiValued) return updateAll(current, target, effective, value);
  return updateSingle(current, target, effective, value);
}

function updateSingle(current: unknown, { definition, subAttribute }: AttributeTarget, op: PatchOpName, value: unknown): unknown {
  if (subAttribute) {
    const next = withSubAttribute(current, subAttribute, op, value);
    return Object.keys(next).length > 0 ? next : undefined;
  }
  if (op === 'remove') return undefined;
  const next = coerceOne(definition, value);
  // RFC 7644 §3.5.2.1/3: sub-attributes not given are left as they are.
  return isPlainObject(current) && isPlainObject(next) ? { ...current, ...next } : next;
}

/** `name[givenName eq "Ann"].familyName`: a filter on a single-valued complex attribute. */
function updateIfMatching(current: unknown, target: AttributeTarget & { filter: FilterNode }, op: PatchOpName, value: unknown, type: ResourceTypeDefinition): unknown {
  if (isPlainObject(current) && elementMatcher(target, type)(current)) return updateSingle(current, target, op, value);
  if (op === 'remove') return current;
  throw badRequest('noTarget', `no '${target.definition.name}' matches the filter`);
}

function updateAll(current: unknown, { definition, subAttribute }: AttributeTarget, op: PatchOpName, value: unknown): unknown {
  const existing = Array.isArray(current) ? current : [];
  if (subAttribute) {
    // `emails.type` without a filter applies to every element, or creates the first one.
    const values = (existing.length > 0 || op === 'remove' ? existing : [{}]).map((element) => withSubAttribute(element, subAttribute, op, value));
    return keepOnePrimary(values, op === 'remove' ? [] : values);
  }
  if (op === 'remove') return value === undefined || value === null ? undefined : removeListed(definition, existing, coerceValues(definition, value));
  const given = coerceValues(definition, value);
  const change = op === 'add' ? appendDistinct(definition, existing, given) : distinct(definition, given);
  return keepOnePrimary(change.values, change.written);
}

/**
 * `emails[type eq "work"].value`: updates the elements the filter selects. When none is selected, add and
 * replace create one from the filter's equalities, so Entra's several ops on `addresses[type eq "work"]`
 * build one address. Remove of nothing is no change: Entra retries what failed.
 */
function updateSelected(current: unknown, target: AttributeTarget & { filter: FilterNode }, op: PatchOpName, value: unknown, type: ResourceTypeDefinition): unknown {
  const { definition, subAttribute, filter } = target;
  const existing = Array.isArray(current) ? current : [];
  const selected = new Set(existing.filter(elementMatcher(target, type)));
  if (op === 'remove') {
    if (selected.size === 0) return current;
    if (!subAttribute) return existing.filter((element) => !selected.has(element));
    return existing.map((element) => (selected.has(element) ? withSubAttribute(element, subAttribute, op, value) : element));
  }
  const given = subAttribute ? undefined : coerceComplex(definition, value);
  const write = (element: JsonObject): JsonObject => {
    if (subAttribute) return withSubAttribute(element, subAttribute, op, value);
    return op === 'add' ? { ...element, ...given } : { ...given };
  };
  if (selected.size === 0) {
    const seed = filterEqualities(filter, definition);
    if (!seed) throw badRequest('noTarget', `no '${definition.name}' matches the filter, and it does not describe one to create`);
    // Whatever the op, the created element keeps what the filter says about it.
    const created = { ...seed, ...write(seed) };
    return keepOnePrimary([...existing, created], [created]);
  }
  const written: unknown[] = [];
  const values = existing.map((element) => {
    if (!selected.has(element) || !isPlainObject(element)) return element;
    const next = write(element);
    written.push(next);
    return next;
  });
  return keepOnePrimary(values, written);
}

function withSubAttribute(element: unknown, subAttribute: AttributeDefinition, op: PatchOpName, value: unknown): JsonObject {
  const next: JsonObject = isPlainObject(element) ? { ...element } : {};
  if (op === 'remove') delete next[subAttribute.name];
  else next[subAttribute.name] = coerceValue(subAttribute, value);
  return next;
}
