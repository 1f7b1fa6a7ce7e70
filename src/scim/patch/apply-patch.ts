import { badRequest } from '../errors';
import type { ResourceTypeDefinition } from '../schema/resource-types';
import { updateAttribute } from './attribute-update';
import { deepEqual, isPlainObject, type JsonObject } from './json';
import type { PatchOpName, PatchOperation } from './patch-request';
import { withAttribute, withExtension, withRawAttribute } from './resource-write';
import { resolveTarget, type Target } from './target';

export interface PatchResult {
  /** The patched resource; it shares unchanged parts with the input, which is never modified. */
  resource: JsonObject;
  /** False when the result deep-equals the input, so the caller can skip a new version. */
  changed: boolean;
}

/** Applies RFC 7644 §3.5.2 operations in order; the first failing one throws its ScimError and nothing applies. */
export function applyPatch(resource: JsonObject, operations: readonly PatchOperation[], type: ResourceTypeDefinition): PatchResult {
  const patched = operations.reduce((current, operation) => applyOperation(current, operation, type), resource);
  return { resource: patched, changed: !deepEqual(resource, patched) };
}

function applyOperation(resource: JsonObject, { op, path, value }: PatchOperation, type: ResourceTypeDefinition): JsonObject {
  if (path === undefined) {
    if (op === 'remove') throw badRequest('noTarget', 'remove needs a path');
    // Entra's aadOptscim062020 and Okta: `{"op":"replace","value":{"name.givenName":"Ann","active":false}}`.
    return applyValueObject(resource, op, value, type, (key) => key);
  }
  if (op !== 'remove' && value === undefined) throw badRequest('invalidValue', `${op} of '${path}' needs a value`);
  return applyTo(resource, resolveTarget(path, resource, type, 'path'), op, value, type);
}

/** Each key of the value is a path of its own; keys we cannot or may not write are skipped. */
function applyValueObject(resource: JsonObject, op: PatchOpName, value: unknown, type: ResourceTypeDefinition, pathOf: (key: string) => string): JsonObject {
  if (!isPlainObject(value)) throw badRequest('invalidValue', `${op} takes an object of attributes here`);
  return Object.entries(value).reduce(
    (current, [key, item]) => applyTo(current, resolveTarget(pathOf(key), current, type, 'key'), op, item, type),
    resource,
  );
}

function applyTo(resource: JsonObject, target: Target, op: PatchOpName, value: unknown, type: ResourceTypeDefinition): JsonObject {
  // Adding null adds nothing; replacing with null clears (RFC 7643 §2.5), but an add must never empty a group.
  if (op === 'add' && value === null) return resource;
  switch (target.kind) {
    case 'ignored':
      return resource;
    case 'raw':
      return withRawAttribute(resource, target, op, value, type);
    case 'extension':
      if (op === 'remove' || value === null) return withExtension(resource, target.urn, undefined, type);
      // `{"urn:…:enterprise:2.0:User": {"department": "x"}}`: each key is an attribute of that extension.
      return applyValueObject(resource, op, value, type, (key) => `${target.urn}:${key}`);
    case 'attribute': {
      const { extension, definition } = target;
      const container = extension === undefined ? resource : resource[extension];
      const current = isPlainObject(container) ? container[definition.name] : undefined;
      return withAttribute(resource, extension, definition.name, updateAttribute(current, target, op, value, type), type);
    }
  }
}
