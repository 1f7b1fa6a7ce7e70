import { badRequest } from '../errors';
import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { isPlainObject, type JsonObject } from './json';
import { identifiedByValue } from './multi-valued';

/**
 * Checks a PATCH value against the attribute it targets and brings it to its stored form:
 * canonical sub-attribute names, booleans from Entra's "True"/"False" strings.
 * Unknown sub-attributes are dropped. Read-only ones sent with their value (a member's display,
 * a manager's displayName) are kept, as POST and PUT keep them: they describe that value, and
 * IdPs expect them back.
 */
export function coerceValue(definition: AttributeDefinition, value: unknown): unknown {
  return definition.multiValued ? coerceValues(definition, value) : coerceOne(definition, value);
}

/** All the elements given for a multi-valued attribute; a lone element is taken as a list of one. */
export function coerceValues(definition: AttributeDefinition, value: unknown): unknown[] {
  const items = Array.isArray(value) ? value : [value];
  // Some clients add a group member as its bare id (`"value": "<id>"`); elements that are more than their value need an object.
  const bareIds = identifiedByValue(definition);
  return items
    .filter((item) => item !== null)
    .map((item) => coerceOne(definition, bareIds && typeof item === 'string' ? { value: item } : item))
    .filter((item) => !isPlainObject(item) || Object.keys(item).length > 0);
}

/** One value of the attribute: a single-valued attribute's value or one element of a multi-valued one. */
export function coerceOne(definition: AttributeDefinition, value: unknown): unknown {
  if (Array.isArray(value)) throw invalid(definition, value, 'a single value');
  if (definition.type === 'complex') return coerceComplex(definition, value);
  return coerceSimple(definition, value);
}

export function coerceComplex(definition: AttributeDefinition, value: unknown): JsonObject {
  if (typeof value === 'string' && !definition.multiValued && findAttribute(definition.subAttributes ?? [], 'value')) {
    // Entra sends the manager as `"value": "<id>"` where RFC 7643 §4.3 has `{"value": "<id>"}`.
    return { value };
  }
  if (!isPlainObject(value)) throw invalid(definition, value, 'an object of sub-attributes');
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes ?? [], key);
    if (!sub || item === null) continue;
    result[sub.name] = coerceValue(sub, item);
  }
  return result;
}

function coerceSimple(definition: AttributeDefinition, value: unknown): unknown {
  switch (definition.type) {
    case 'boolean':
      return coerceBoolean(definition, value);
    case 'integer':
      if (Number.isInteger(value)) return value;
      throw invalid(definition, value, 'an integer');
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(definition, value, 'a number');
    default:
      if (typeof value === 'string') return value;
      throw invalid(definition, value, 'a string');
  }
}

/** Entra sends booleans as "True"/"False" in its default PATCH dialect. */
function coerceBoolean(definition: AttributeDefinition, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw invalid(definition, value, 'a boolean');
}

function invalid(definition: AttributeDefinition, value: unknown, expected: string) {
  const given = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
  return badRequest('invalidValue', `'${definition.name}' takes ${expected}, not ${given}`);
}
