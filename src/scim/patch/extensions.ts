import type { SchemaDefinition } from '../schema/attribute';
import type { ResourceTypeDefinition } from '../schema/resource-types';
import type { JsonObject } from './json';

/** The extension schema of `type` with this URN (case-insensitive), if we define its attributes. */
export function knownExtension(type: ResourceTypeDefinition, urn: string): SchemaDefinition | undefined {
  const wanted = urn.toLowerCase();
  return type.extensions.find((extension) => extension.id.toLowerCase() === wanted);
}

/** The URN as the resource's `schemas` spells it, if it lists it. */
export function listedSchema(resource: JsonObject, urn: string): string | undefined {
  const schemas = Array.isArray(resource.schemas) ? resource.schemas : [];
  const wanted = urn.toLowerCase();
  return schemas.find((schema): schema is string => typeof schema === 'string' && schema.toLowerCase() === wanted);
}

/** Whether `urn` is the core schema or an extension of `type` whose attributes we define. */
export function isOwnSchema(type: ResourceTypeDefinition, urn: string): boolean {
  return urn.toLowerCase() === type.coreSchema.id.toLowerCase() || knownExtension(type, urn) !== undefined;
}

/**
 * Whether attributes under an extension URN we have no schema for are stored (as sent, under that URN key):
 * only when the resource declares the extension in `schemas`, so another IdP's extension or a typo
 * does not grow arbitrary objects on the resource. Otherwise they are ignored.
 */
export function isKeptExtension(resource: JsonObject, urn: string, type: ResourceTypeDefinition): boolean {
  return !isOwnSchema(type, urn) && listedSchema(resource, urn) !== undefined;
}
