import { compileFilter, type FilterNode } from '../filter';
import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import type { ResourceTypeDefinition } from '../schema/resource-types';
import { coerceOne } from './values';
import { isPlainObject, type JsonObject } from './json';
import type { AttributeTarget } from './target';

type Filtered = AttributeTarget & { filter: FilterNode };

/**
 * A test for the elements a value filter selects (`members[value eq "id"]`). The common `sub eq "text"`
 * is compared directly: Okta removes members one op each, and a scan per op of a 10,000-member group
 * must stay cheap. Anything else goes to the filter engine, compiled once, on a resource holding that one element.
 */
export function elementMatcher(target: Filtered, type: ResourceTypeDefinition): (element: unknown) => boolean {
  const { filter, definition, extension } = target;
  const simple = simpleEquality(filter, definition);
  if (simple) {
    const { name, value, caseExact } = simple;
    if (caseExact) return (element) => isPlainObject(element) && element[name] === value;
    const lower = value.toLowerCase();
    return (element) => isPlainObject(element) && typeof element[name] === 'string' && element[name].toLowerCase() === lower;
  }
  const test = compileFilter({ kind: 'valuePath', path: { schema: extension, attribute: definition.name }, filter }, type);
  return (element) => {
    const holder: JsonObject = { [definition.name]: definition.multiValued ? [element] : element };
    return test(extension === undefined ? holder : { [extension]: holder });
  };
}

function simpleEquality(filter: FilterNode, definition: AttributeDefinition) {
  if (filter.kind !== 'compare' || filter.operator !== 'eq' || typeof filter.value !== 'string') return undefined;
  if (filter.path.schema !== undefined || filter.path.subAttribute !== undefined) return undefined;
  const sub = findAttribute(definition.subAttributes ?? [], filter.path.attribute);
  if (!sub || (sub.type !== 'string' && sub.type !== 'reference') || sub.multiValued) return undefined;
  return { name: sub.name, value: filter.value, caseExact: sub.caseExact };
}

/**
 * The sub-attribute values a filter pins down with `eq` (joined by `and`): what an element created for
 * `addresses[type eq "work"].locality` starts with. Undefined when the filter does not describe an element.
 */
export function filterEqualities(filter: FilterNode, definition: AttributeDefinition): JsonObject | undefined {
  if (filter.kind === 'and') {
    const left = filterEqualities(filter.left, definition);
    const right = filterEqualities(filter.right, definition);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.kind !== 'compare' || filter.operator !== 'eq' || filter.value === null) return undefined;
  if (filter.path.schema !== undefined || filter.path.subAttribute !== undefined) return undefined;
  const sub = findAttribute(definition.subAttributes ?? [], filter.path.attribute);
  if (!sub || sub.mutability === 'readOnly') return undefined;
  return { [sub.name]: coerceOne(sub, filter.value) };
}
