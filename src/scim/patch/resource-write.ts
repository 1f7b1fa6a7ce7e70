import type { ResourceTypeDefinition } from '../schema/resource-types';
import { listedSchema } from './extensions';
import { findKey, isPlainObject, type JsonObject } from './json';
import type { PatchOpName } from './patch-request';
import type { RawTarget } from './target';

/**
 * A copy of the resource with one attribute set (or unassigned when `next` is undefined), core or under
 * an extension URN. Untouched parts are shared with the input, which is never modified.
 */
export function withAttribute(resource: JsonObject, extension: string | undefined, name: string, next: unknown, type: ResourceTypeDefinition): JsonObject {
  const container = extension === undefined ? resource : extensionObject(resource, extension);
  if (container[name] === next) return resource;
  const updated = { ...container };
  if (next === undefined) delete updated[name];
  else updated[name] = next;
  return extension === undefined ? updated : withExtension(resource, extension, updated, type);
}

/**
 * A copy of the resource with an extension object replaced; an empty one is dropped. A resource holding
 * extension attributes lists the extension in `schemas` (RFC 7643 §3), so it is added there when missing.
 */
export function withExtension(resource: JsonObject, urn: string, object: JsonObject | undefined, type: ResourceTypeDefinition): JsonObject {
  const next = { ...resource };
  if (object === undefined || Object.keys(object).length === 0) {
    delete next[urn];
    return next;
  }
  next[urn] = object;
  if (listedSchema(resource, urn) === undefined) {
    next.schemas = [...(Array.isArray(resource.schemas) ? resource.schemas : [type.coreSchema.id]), urn];
  }
  return next;
}

/** An attribute of an extension kept without a schema: stored as sent, matched to existing keys case-insensitively. */
export function withRawAttribute(resource: JsonObject, target: RawTarget, op: PatchOpName, value: unknown, type: ResourceTypeDefinition): JsonObject {
  const clear = op === 'remove' || value === null;
  const container = extensionObject(resource, target.urn);
  const name = findKey(container, target.name) ?? target.name;
  if (target.subAttribute === undefined) return withAttribute(resource, target.urn, name, clear ? undefined : value, type);
  const parent = isPlainObject(container[name]) ? { ...container[name] } : {};
  const subName = findKey(parent, target.subAttribute) ?? target.subAttribute;
  if (clear) delete parent[subName];
  else parent[subName] = value;
  return withAttribute(resource, target.urn, name, Object.keys(parent).length > 0 ? parent : undefined, type);
}

function extensionObject(resource: JsonObject, urn: string): JsonObject {
  const object = resource[urn];
  return isPlainObject(object) ? object : {};
}
