import request from 'supertest';
import type { App } from 'supertest/types';
import type { TestSystem } from './system';

/** The SCIM protocol as integration tests speak it: media type, schema URNs and message shapes. */
export const SCIM_JSON = 'application/scim+json';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ENTRA_GROUP_SCHEMA = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_SCHEMA], Operations });

/** What every SCIM error body must be: RFC 7644 §3.12, status as a string (Okta checks it). */
export const scimError = (status: number, scimType?: string) => ({
  schemas: [ERROR_SCHEMA],
  status: String(status),
  ...(scimType === undefined ? {} : { scimType }),
  detail: expect.any(String),
});

export const emptyList = (startIndex = 1) => ({ schemas: [LIST_SCHEMA], totalResults: 0, itemsPerPage: 0, startIndex, Resources: [] });

/** `?filter=` with the filter URL-encoded, as IdPs send it. */
export const userFilter = (filter: string, extra = '') => `/Users?filter=${encodeURIComponent(filter)}${extra}`;
export const groupFilter = (filter: string, extra = '') => `/Groups?filter=${encodeURIComponent(filter)}${extra}`;

export interface ScimClientOptions {
  /** The Tenant URL's path: `/scim/v2` (default) or the `/scim` alias of the customer docs. */
  base?: string;
  /**
   * Where each request goes, asked anew for every request: by default the system's current
   * app (freshQueues() builds a new one for each test). Another intake (e.g. one whose Redis is
   * down) or a URL of a listening server may be given instead.
   */
  app?: () => App | string;
}

/**
 * The one SCIM client of the integration tests: speaks for one bearer token (none when
 * `token` is undefined) with `Accept: application/scim+json`, and sends bodies as
 * `application/scim+json` — objects as JSON, strings exactly as given (malformed JSON tests).
 * Each method returns supertest's request, so a test may still `.set()` a header.
 */
export function scimClient(system: TestSystem, token: string | undefined, options: ScimClientOptions = {}) {
  const base = options.base ?? '/scim/v2';
  const agent = () => request(options.app ? options.app() : system.app);
  const auth = <T extends request.Test>(test: T): T => {
    const withAccept = test.set('Accept', SCIM_JSON);
    return (token === undefined ? withAccept : withAccept.set('Authorization', `Bearer ${token}`)) as T;
  };
  const send = (test: request.Test, body: unknown) => test.set('Content-Type', SCIM_JSON).send(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    get: (path: string) => auth(agent().get(`${base}${path}`)),
    post: (path: string, body: unknown) => send(auth(agent().post(`${base}${path}`)), body),
    put: (path: string, body: unknown) => send(auth(agent().put(`${base}${path}`)), body),
    patch: (path: string, body: unknown) => send(auth(agent().patch(`${base}${path}`)), body),
    delete: (path: string) => auth(agent().delete(`${base}${path}`)),
  };
}

export type ScimClient = ReturnType<typeof scimClient>;
