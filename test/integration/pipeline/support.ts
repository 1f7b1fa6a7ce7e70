import request from 'supertest';
import type { Types } from 'mongoose';
import type { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting } from '../../factories';
import type { NewScimSetting } from '../../../src/settings/scim-settings';
import type { Tenant } from '../../../src/store/tenant';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SCIM_JSON = 'application/scim+json';

export const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_SCHEMA], Operations });

/** A company, one SCIM setting of it, and what tests need to talk as that setting's IdP. */
export interface Tenancy {
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  token: string;
  tenant: Tenant;
}

export async function makeTenancy(system: TestSystem, setting: Partial<NewScimSetting> = {}): Promise<Tenancy> {
  const company = await makeCompany(system.models);
  const { id, token } = await makeScimSetting(system.models, company._id, setting);
  return { companyId: company._id, scimSettingId: id, token, tenant: { companyId: company._id, scimSettingId: id } };
}

/** A SCIM client for one bearer token against `app()` (the system's current app unless given). */
export function scimClient(system: TestSystem, token: string, app = () => system.app) {
  const auth = (test: request.Test) => test.set('Accept', SCIM_JSON).set('Authorization', `Bearer ${token}`);
  const send = (test: request.Test, body: unknown) => auth(test).set('Content-Type', SCIM_JSON).send(JSON.stringify(body));
  return {
    get: (path: string) => auth(request(app()).get(`/scim/v2${path}`)),
    post: (path: string, body: unknown) => send(request(app()).post(`/scim/v2${path}`), body),
    put: (path: string, body: unknown) => send(request(app()).put(`/scim/v2${path}`), body),
    patch: (path: string, body: unknown) => send(request(app()).patch(`/scim/v2${path}`), body),
    delete: (path: string) => auth(request(app()).delete(`/scim/v2${path}`)),
  };
}
export type ScimClient = ReturnType<typeof scimClient>;

export function user(userName: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    userName,
    name: { givenName: 'Given', familyName: userName.split('@')[0] },
    emails: [{ primary: true, type: 'work', value: userName }],
    active: true,
    ...extra,
  };
}

export async function createUser(client: ScimClient, body: unknown): Promise<string> {
  const answer = await client.post('/Users', body);
  if (answer.status !== 201) throw new Error(`POST /Users answered ${answer.status}: ${answer.text}`);
  return answer.body.id as string;
}

/** Creates users over HTTP, `parallel` requests at a time; ids in the order of `bodies`. */
export async function createUsers(client: ScimClient, bodies: unknown[], parallel = 25): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += parallel) ids.push(...(await Promise.all(bodies.slice(i, i + parallel).map((body) => createUser(client, body)))));
  return ids;
}

export async function createGroup(client: ScimClient, displayName: string, members: string[] = []): Promise<string> {
  const answer = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })) });
  if (answer.status !== 201) throw new Error(`POST /Groups answered ${answer.status}: ${answer.text}`);
  return answer.body.id as string;
}

export async function expectStatus(answer: Promise<request.Response> | request.Response, status: number): Promise<request.Response> {
  const settled = await answer;
  if (settled.status !== status) throw new Error(`expected ${status}, got ${settled.status}: ${settled.text}`);
  return settled;
}

/** The target user of a SCIM user, exactly as stored. */
export function targetUserOf(system: TestSystem, scimUserId: string) {
  return system.models.TargetUser.collection.findOne({ scimUserId });
}

export function activitiesOf(system: TestSystem, resourceId: string) {
  return system.models.SyncActivity.collection.find({ resourceId }).sort({ at: 1 }).toArray();
}

/** Sync activity is written after a job's outcome is known; a failure's line a moment after the job moved. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Breaks the setting so every projection of it throws (as a corrupt setting document
 * would), until the returned function restores it. A real failure inside the worker,
 * with no test hook in production code.
 */
export async function breakSetting(system: TestSystem, scimSettingId: Types.ObjectId): Promise<() => Promise<void>> {
  const settings = system.models.ScimSetting.collection;
  const before = await settings.findOne({ _id: scimSettingId });
  await settings.updateOne({ _id: scimSettingId }, { $set: { fieldMappings: [{ scimPath: 'title', customFieldId: 'not-an-object-id' }] } });
  return async () => {
    await settings.updateOne({ _id: scimSettingId }, { $set: { fieldMappings: before?.fieldMappings ?? [] } });
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
