import { badRequest, type ScimType } from '../errors';
import { parsePatchPath, type FilterNode, type PatchPath } from '../filter';
import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { resolveAttribute, type ResourceTypeDefinition } from '../schema/resource-types';
import { isKeptExtension, isOwnSchema, knownExtension, listedSchema } from './extensions';
import type { JsonObject } from './json';

/** An attribute we define: `emails`, `name.givenName`, `emails[type eq "work"].value`, `urn:…:User:manager.value`. */
export interface AttributeTarget {
  kind: 'attribute';
  /** The URN key the attribute is stored under; undefined for core attributes. */
  extension?: string;
  definition: AttributeDefinition;
  filter?: FilterNode;
  subAttribute?: AttributeDefinition;
}

/** A whole extension object: the path `urn:…:enterprise:2.0:User`, or such a key in a value object. */
export interface ExtensionTarget {
  kind: 'extension';
  urn: string;
}

/** An attribute of an extension we keep without a schema: stored as sent. */
export interface RawTarget {
  kind: 'raw';
  urn: string;
  name: string;
  subAttribute?: string;
}

export type Target = AttributeTarget | ExtensionTarget | RawTarget | { kind: 'ignored' };

const IGNORED: Target = { kind: 'ignored' };

/**
 * Resolves a PATCH path (`context: 'path'`) or a key of a path-less value object (`'key'`) against the
 * resource type. What a path may not target is a 400; in a value object it is skipped, as IdPs send whole
 * resources there (Okta's `{id, displayName}`).
 */
export function resolveTarget(text: string, resource: JsonObject, type: ResourceTypeDefinition, context: 'path' | 'key'): Target {
  const reject = (scimType: ScimType, detail: string): Target => {
    if (context === 'key') return IGNORED;
    throw badRequest(scimType, detail);
  };
  const extension = knownExtension(type, text);
  if (extension) return { kind: 'extension', urn: extension.id };
  if (isKeptExtension(resource, text, type)) return { kind: 'extension', urn: listedSchema(resource, text) ?? text };

  let parsed: PatchPath;
  try {
    parsed = parsePatchPath(text);
  } catch (error) {
    if (context === 'key') return IGNORED;
    throw error;
  }
  if (parsed.path.subAttribute !== undefined && parsed.subAttribute !== undefined) {
    return reject('invalidPath', `'${text}' names two sub-attributes`);
  }
  const subName = parsed.subAttribute ?? parsed.path.subAttribute;
  const { schema, attribute } = parsed.path;
  const resolved = resolveAttribute(type, schema === undefined ? attribute : `${schema}:${attribute}`);
  if (!resolved) {
    if (schema === undefined || isOwnSchema(type, schema)) return reject('invalidPath', `unknown attribute in '${text}'`);
    if (!isKeptExtension(resource, schema, type)) return IGNORED;
    if (parsed.valueFilter) return reject('invalidPath', `cannot filter '${text}': its extension has no schema here`);
    return { kind: 'raw', urn: listedSchema(resource, schema) ?? schema, name: attribute, subAttribute: subName };
  }

  const { definition } = resolved;
  // Never stored: Okta sends the password, and RFC 7643 makes it write-only.
  if (definition.mutability === 'writeOnly') return IGNORED;
  if (definition.mutability === 'readOnly') return reject('mutability', `'${definition.name}' is read-only`);
  if (parsed.valueFilter && definition.type !== 'complex') {
    return reject('invalidPath', `'${definition.name}' has no sub-attributes to filter on`);
  }
  let subAttribute: AttributeDefinition | undefined;
  if (subName !== undefined) {
    subAttribute = findAttribute(definition.subAttributes ?? [], subName);
    if (!subAttribute) return reject('invalidPath', `'${definition.name}' has no sub-attribute '${subName}'`);
    if (subAttribute.mutability === 'readOnly') return reject('mutability', `'${definition.name}.${subAttribute.name}' is read-only`);
  }
  return { kind: 'attribute', extension: resolved.extension, definition, filter: parsed.valueFilter, subAttribute };
}
