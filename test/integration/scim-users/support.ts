import request from 'supertest';
import type { Types } from 'mongoose';
import type { TestSystem } from '../../support/system';
import type { ScimUserResourceDoc } from '../../../src/models/scim-user-resource';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_JSON = 'application/scim+json';

/** Given to every TestSystem here, so `meta.location` is the same whichever port supertest picked. */
export const PUBLIC_BASE_URL = 'https://scim.example.test';
export const systemEnv = { PUBLIC_BASE_URL };

/** What every SCIM error body must be: RFC 7644 §3.12, status as a string (Okta checks it). */
export const scimError = (status: number, scimType?: string) => ({
  schemas: [ERROR_SCHEMA],
  status: String(status),
  ...(scimType === undefined ? {} : { scimType }),
  detail: expect.any(String),
});

export const emptyList = (startIndex = 1) => ({ schemas: [LIST_SCHEMA], totalResults: 0, itemsPerPage: 0, startIndex, Resources: [] });

export const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_SCHEMA], Operations });

/** The `meta` the server writes for a user at a version, on the base the request used. */
export const userMeta = (id: string, version: number, base = '/scim/v2') => ({
  resourceType: 'User',
  created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  location: `${PUBLIC_BASE_URL}${base}/Users/${id}`,
  version: `W/"${version}"`,
});

/**
 * A SCIM client speaking for one bearer token, always against the system's current app
 * (freshQueues() builds a new one for each test).
 */
export function scimClient(system: TestSystem, token: string | undefined, base = '/scim/v2') {
  const auth = <T extends request.Test>(test: T): T => {
    const withAccept = test.set('Accept', SCIM_JSON);
    return (token === undefined ? withAccept : withAccept.set('Authorization', `Bearer ${token}`)) as T;
  };
  const send = (test: request.Test, body: unknown) => (typeof body === 'string' ? test.set('Content-Type', SCIM_JSON).send(body) : test.set('Content-Type', SCIM_JSON).send(JSON.stringify(body)));
  return {
    get: (path: string) => auth(request(system.app).get(`${base}${path}`)),
    post: (path: string, body: unknown) => send(auth(request(system.app).post(`${base}${path}`)), body),
    put: (path: string, body: unknown) => send(auth(request(system.app).put(`${base}${path}`)), body),
    patch: (path: string, body: unknown) => send(auth(request(system.app).patch(`${base}${path}`)), body),
    delete: (path: string) => auth(request(system.app).delete(`${base}${path}`)),
  };
}

export type ScimClient = ReturnType<typeof scimClient>;

/** `?filter=` with the filter URL-encoded, as IdPs send it. */
export const filterQuery = (filter: string, extra = '') => `/Users?filter=${encodeURIComponent(filter)}${extra}`;

/** The stored SCIM resource as MongoDB holds it, `data` parsed. */
export async function rawUser(system: TestSystem, id: string) {
  const doc = (await system.models.ScimUserResource.collection.findOne({ _id: id as never })) as ScimUserResourceDoc | null;
  if (!doc) return null;
  return { ...doc, data: JSON.parse(doc.data) as Record<string, unknown> };
}

export async function targetUser(system: TestSystem, scimUserId: string) {
  return system.models.TargetUser.findOne({ scimUserId }).lean();
}

/** The target user's fields a test compares, without ids and timestamps. */
export async function targetState(system: TestSystem, scimUserId: string) {
  const target = await targetUser(system, scimUserId);
  if (!target) return null;
  return {
    userName: target.userName,
    externalId: target.externalId,
    email: target.email,
    firstName: target.firstName,
    lastName: target.lastName,
    department: target.department,
    phoneNumber: target.phoneNumber,
    title: target.title,
    manager: target.manager,
    customFields: target.customFields as Record<string, string>,
    status: target.status,
    groupIds: (target.groupIds as unknown as Types.ObjectId[]).map((id) => id.toHexString()),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a rejected write must leave untouched: the stored resource's version and content. */
export async function storedState(system: TestSystem, id: string) {
  const doc = await rawUser(system, id);
  if (!doc) return null;
  const { scimSettingId, version, data, userName, userNameKey, externalId, active, deleted, lastModified } = doc;
  return { scimSettingId, version, data, userName, userNameKey, externalId, active, deleted, lastModified };
}
