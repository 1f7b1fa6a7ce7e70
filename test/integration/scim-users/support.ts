import type { Types } from 'mongoose';
import type { TestSystem } from '../../support/system';
import type { ScimUserResourceDoc } from '../../../src/models/scim-user-resource';

/** Given to every TestSystem here, so `meta.location` is the same whichever port supertest picked. */
export const PUBLIC_BASE_URL = 'https://scim.example.test';
export const systemEnv = { PUBLIC_BASE_URL };

/** The `meta` the server writes for a user at a version, on the base the request used. */
export const userMeta = (id: string, version: number, base = '/scim/v2') => ({
  resourceType: 'User',
  created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  location: `${PUBLIC_BASE_URL}${base}/Users/${id}`,
  version: `W/"${version}"`,
});

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
/** What one SCIM user's source on its target user shows (a person may have several): null when it has none. */
export async function sourceOf(system: TestSystem, scimUserId: string) {
  const person = await system.models.TargetUser.findOne({ 'sources.scimUserId': scimUserId }).lean();
  return person?.sources.find((s) => s.scimUserId === scimUserId) ?? null;
}

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

/**
 * What a rejected write must leave untouched: the stored resource's version and content, the
 * fields only the intake's writes set. (No projection writes a live SCIM user; a deleted user's
 * tombstone is removed by its projection, so compare a deleted user only after `system.idle()`.)
 */
export async function storedState(system: TestSystem, id: string) {
  const doc = await rawUser(system, id);
  if (!doc) return null;
  const { scimSettingId, version, data, userName, userNameKey, externalId, active, deleted, lastModified } = doc;
  return { scimSettingId, version, data, userName, userNameKey, externalId, active, deleted, lastModified };
}
