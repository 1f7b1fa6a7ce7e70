import type { RequestHandler } from 'express';
import { Counter, type Registry } from 'prom-client';

export type ScimOperations = Counter<'resource_type' | 'operation' | 'outcome'>;

export interface ScimOperation {
  resourceType: 'User' | 'Group';
  operation: 'list' | 'get' | 'create' | 'replace' | 'patch' | 'delete';
}

const RESOURCE_TYPES: Record<string, ScimOperation['resourceType']> = { users: 'User', groups: 'Group' };
const ON_COLLECTION: Record<string, ScimOperation['operation']> = { GET: 'list', POST: 'create' };
const ON_RESOURCE: Record<string, ScimOperation['operation']> = { GET: 'get', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };

/**
 * The RFC 7644 operation a request asks for, from its method and its path under the SCIM base
 * (`/Users`, `/Groups/<id>`); undefined for anything else (discovery, unknown paths). A list
 * with or without a filter is `list`.
 */
export function scimOperationOf(method: string, path: string): ScimOperation | undefined {
  const [collection, id, ...rest] = path.split('/').filter((segment) => segment !== '');
  const resourceType = RESOURCE_TYPES[collection?.toLowerCase() ?? ''];
  if (resourceType === undefined || rest.length > 0) return undefined;
  const operation = (id === undefined ? ON_COLLECTION : ON_RESOURCE)[method];
  return operation === undefined ? undefined : { resourceType, operation };
}

/** `2xx`, `4xx`, `5xx`. */
export const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

export function scimOperations(registry: Registry): ScimOperations {
  return new Counter({
    name: 'scim_operations_total',
    help: 'SCIM operations answered, by resource type (User, Group), operation and outcome (status class), refused tokens included.',
    labelNames: ['resource_type', 'operation', 'outcome'] as const,
    registers: [registry],
  });
}

/** Mounted first in the SCIM router, where `req.path` is the path under the SCIM base. */
export function countScimOperations(counter: ScimOperations): RequestHandler {
  return (req, res, next) => {
    const asked = scimOperationOf(req.method, req.path);
    if (asked) {
      res.once('finish', () => counter.inc({ resource_type: asked.resourceType, operation: asked.operation, outcome: statusClass(res.statusCode) }));
    }
    next();
  };
}
