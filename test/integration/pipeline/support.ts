import type request from 'supertest';
import type { Types } from 'mongoose';
import type { TestSystem } from '../../support/system';
import { GROUP_SCHEMA, ENTERPRISE, USER_SCHEMA, type ScimClient } from '../../support/scim-client';
import { makeCompany, makeScimSetting } from '../../factories';
import type { NewScimSetting } from '../../../src/settings/scim-settings';
import type { Tenant } from '../../../src/store/tenant';

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

/** How many of the setting's projection runs have failed so far (in the test's in-process workers). */
export async function failedProjections(system: TestSystem, tenancy: Tenancy): Promise<number> {
  return system.projectionFailures.get(tenancy.scimSettingId.toHexString()) ?? 0;
}
