import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { allSchemas, resolveAttribute, type ResourceTypeDefinition } from '../schema/resource-types';

export type JsonObject = Record<string, unknown>;

/**
 * A route, resolved once against the schema, from a resource (or from one element of a
 * multi-valued attribute) to an attribute's values: multi-valued attributes are flattened and
 * null/undefined left out. `definition` is undefined for attributes of an extension schema we
 * do not define (a customer's custom extension): those are found by key, case-insensitively,
 * and treated as strings.
 */
export interface Accessor {
  definition?: AttributeDefinition;
  read(from: JsonObject): unknown[];
}

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Canonical names are stored, but IdP data may differ in case, and RFC 7643 §2.1 names are case-insensitive. */
export function property(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

const valuesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined);

function readFrom(containerKey: string | undefined, name: string): (from: JsonObject) => unknown[] {
  return (from) => {
    const container = containerKey === undefined ? from : property(from, containerKey);
    return isObject(container) ? valuesOf(property(container, name)) : [];
  };
}

/**
 * A top-level attribute: `userName`, `urn:…:core:2.0:User:userName`, `urn:…:enterprise:2.0:User:department`,
 * or `urn:…:custom:2.0:User:location`. Undefined when it is not an attribute this resource type can have.
 */
export function attributeAccessor(type: ResourceTypeDefinition, schema: string | undefined, attribute: string): Accessor | undefined {
  const resolved = resolveAttribute(type, schema === undefined ? attribute : `${schema}:${attribute}`);
  if (resolved) return { definition: resolved.definition, read: readFrom(resolved.extension, resolved.definition.name) };
  if (schema === undefined || isDefinedSchema(type, schema)) return undefined;
  return { read: readFrom(schema, attribute) };
}

/** A schema we define (for this or another resource type) has no attributes beyond its definition. */
function isDefinedSchema(type: ResourceTypeDefinition, schema: string): boolean {
  const lower = schema.toLowerCase();
  return [type.coreSchema, ...type.extensions, ...allSchemas].some((s) => s.id.toLowerCase() === lower);
}

/** The sub-attribute of every complex value `parent` reads. Undefined when `parent` has no such sub-attribute. */
export function subAttributeAccessor(parent: Accessor, name: string): Accessor | undefined {
  let definition: AttributeDefinition | undefined;
  if (parent.definition) {
    definition = findAttribute(parent.definition.subAttributes ?? [], name);
    if (!definition) return undefined;
  }
  const read = readFrom(undefined, definition?.name ?? name);
  return {
    ...(definition ? { definition } : {}),
    read: (from) => parent.read(from).filter(isObject).flatMap(read),
  };
}

/** A sub-attribute read from one element, for the conditions inside a value filter such as `emails[type eq "work"]`. */
export function elementAccessor(parent: AttributeDefinition | undefined, name: string): Accessor | undefined {
  return subAttributeAccessor({ ...(parent ? { definition: parent } : {}), read: (element) => [element] }, name);
}
