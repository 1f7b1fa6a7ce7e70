import type { AttributeDefinition } from '../schema/attribute';
import { findAttribute } from '../schema/attribute';
import { commonAttributes } from '../schema/common';
import type { ResourceTypeDefinition } from '../schema/resource-types';
import { badRequest } from '../errors';

export type ScimResource = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An extension URN that is not in our schemas is kept only when the body declares it in
 * `schemas`: custom field mappings may read it, and undeclared keys are noise.
 */
export function declaredSchemas(body: Record<string, unknown>): Set<string> {
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  return new Set(schemas.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()));
}

/**
 * Brings a request body to the stored shape: attribute names in their schema's spelling
 * (names are case-insensitive, RFC 7643 §2.1), unknown attributes and nulls dropped,
 * read-only and write-only attributes (id, meta, groups, password) dropped: clients may
 * send them, and a password must never be stored. Types are checked afterwards by zod.
 */
export function canonicalizeResource(body: unknown, type: ResourceTypeDefinition): ScimResource {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object.');
  const declared = declaredSchemas(body);
  const out: ScimResource = {};
  const coreAttributes = [...type.coreSchema.attributes, ...commonAttributes];
  const corePrefix = `${type.coreSchema.id.toLowerCase()}:`;

  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    const lower = key.toLowerCase();
    if (lower === 'schemas') {
      if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
        throw badRequest('invalidSyntax', '"schemas" must be an array of strings.');
      }
      out.schemas = value;
      continue;
    }
    const extension = type.extensions.find((e) => e.id.toLowerCase() === lower);
    if (extension) {
      if (!isPlainObject(value)) throw badRequest('invalidValue', `"${extension.id}" must be an object.`);
      const inner = canonicalizeAttributes(value, extension.attributes);
      if (Object.keys(inner).length > 0) out[extension.id] = inner;
      continue;
    }
    if (lower.startsWith('urn:') && !lower.startsWith(corePrefix)) {
      if (declared.has(lower) && isPlainObject(value)) out[key] = value;
      continue;
    }
    const name = lower.startsWith(corePrefix) ? key.slice(corePrefix.length) : key;
    Object.assign(out, canonicalizeAttributes({ [name]: value }, coreAttributes));
  }
  return out;
}

function canonicalizeAttributes(values: Record<string, unknown>, attributes: readonly AttributeDefinition[]): ScimResource {
  const out: ScimResource = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    const definition = findAttribute(attributes, key);
    if (!definition || definition.mutability === 'readOnly' || definition.returned === 'never') continue;
    const canonical = canonicalizeValue(definition, value);
    // `name: {"nickname2": "x"}` holds nothing we know: storing `name: {}` would be garbage.
    if (!isEmptyObject(canonical)) out[definition.name] = canonical;
  }
  return out;
}

const isEmptyObject = (value: unknown) => isPlainObject(value) && Object.keys(value).length === 0;

function canonicalizeValue(definition: AttributeDefinition, value: unknown): unknown {
  if (definition.type !== 'complex' || !definition.subAttributes) return value;
  const sub = definition.subAttributes;
  const element = (v: unknown) => {
    if (!isPlainObject(v)) throw badRequest('invalidValue', `"${definition.name}" must hold objects.`);
    return canonicalizeSubAttributes(v, sub);
  };
  if (definition.multiValued) {
    return (Array.isArray(value) ? value : [value])
      .filter((v) => v !== null)
      .map(element)
      .filter((v) => !isEmptyObject(v));
  }
  return element(value);
}

/** Sub-attributes keep read-only ones (a manager's displayName, a member's display): they describe the value. */
function canonicalizeSubAttributes(values: Record<string, unknown>, attributes: readonly AttributeDefinition[]): ScimResource {
  const out: ScimResource = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    const definition = findAttribute(attributes, key);
    if (definition) out[definition.name] = value;
  }
  return out;
}
