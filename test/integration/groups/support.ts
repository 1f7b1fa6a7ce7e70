import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { TestSystem } from '../../support/system';
import { ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA, type ScimClient } from '../../support/scim-client';
import type { ScimUserResourceDoc } from '../../../src/models/scim-user-resource';
import { personDoc } from '../../../src/store/target-users';
import type { TargetUserView } from '../../../src/mapping/project-user';

export const refs = (...ids: string[]) => ids.map((value) => ({ value }));

/** A user as Entra creates it, with an optional department. */
export function entraUser(userName: string, department?: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: userName.split('@')[0],
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { givenName: 'Given', familyName: userName.split('@')[0] },
    ...(department === undefined ? {} : { [ENTERPRISE]: { department } }),
    ...extra,
  };
}

/** Creates users over HTTP, `parallel` requests at a time; returns their ids in order. */
export async function createUsers(client: ScimClient, bodies: unknown[], parallel = 20): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += parallel) {
    const answers = await Promise.all(bodies.slice(i, i + parallel).map((body) => client.post('/Users', body)));
    for (const answer of answers) {
      if (answer.status !== 201) throw new Error(`POST /Users answered ${answer.status}: ${answer.text}`);
      ids.push(answer.body.id as string);
    }
  }
  return ids;
}

export async function createGroup(client: ScimClient, displayName: string, members: string[] = [], extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, members: refs(...members), ...extra });
  if (answer.status !== 201) throw new Error(`POST /Groups answered ${answer.status}: ${answer.text}`);
  return answer.body.id as string;
}

/** The member ids the API shows for a group, sorted. */
export async function apiMembers(client: ScimClient, groupId: string): Promise<string[]> {
  const answer = await client.get(`/Groups/${groupId}`);
  if (answer.status !== 200) throw new Error(`GET /Groups/${groupId} answered ${answer.status}: ${answer.text}`);
  return ((answer.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

/**
 * Every target group of the company with its members' userNames, keyed `source:name`:
 * the exact final state a test compares. Empty groups are included.
 */
export async function targetGroups(system: TestSystem, companyId: Types.ObjectId): Promise<Record<string, string[]>> {
  const groups = await system.models.TargetGroup.collection.find({ companyId }).toArray();
  const users = await system.models.TargetUser.collection.find({ companyId }, { projection: { userName: 1, groupIds: 1 } }).toArray();
  const result: Record<string, string[]> = {};
  for (const group of groups) {
    const key = `${String(group.source)}:${String(group.name)}`;
    if (key in result) throw new Error(`two target groups are ${key}`);
    result[key] = users
      .filter((u) => (u.groupIds as Types.ObjectId[]).some((id) => id.equals(group._id)))
      .map((u) => String(u.userName))
      .sort();
  }
  return result;
}

/** Every target user's state: userName → status and sorted group keys (`source:name`). */
export async function targetUsers(system: TestSystem, companyId: Types.ObjectId): Promise<Record<string, { status: string; groups: string[] }>> {
  const groups = await system.models.TargetGroup.collection.find({ companyId }).toArray();
  const nameOf = new Map(groups.map((g) => [g._id.toHexString(), `${String(g.source)}:${String(g.name)}`]));
  const users = await system.models.TargetUser.collection.find({ companyId }).toArray();
  return Object.fromEntries(
    users.map((u) => [
      String(u.userName),
      { status: String(u.status), groups: (u.groupIds as Types.ObjectId[]).map((id) => nameOf.get(id.toHexString()) ?? `dangling:${id.toHexString()}`).sort() },
    ]),
  );
}

/**
 * Setup only: many SCIM users and their projected target users written straight to the
 * database, as if the IdP had created them and the workers had projected them.
 */
export async function insertProjectedUsers(system: TestSystem, companyId: Types.ObjectId, scimSettingId: Types.ObjectId, count: number, prefix = 'bulk'): Promise<string[]> {
  const now = new Date();
  const ids: string[] = [];
  const resources: ScimUserResourceDoc[] = [];
  const targets: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    const userName = `${prefix}${i}@example.com`;
    ids.push(id);
    const data = { schemas: [USER_SCHEMA], userName, active: true, emails: [{ primary: true, type: 'work', value: userName }] };
    resources.push({ _id: id, companyId, scimSettingId, version: 1, userName, userNameKey: userName, externalId: null, active: true, data: JSON.stringify(data), created: now, lastModified: now, deleted: false });
    const view: TargetUserView = { userName, externalId: null, email: userName, firstName: null, lastName: null, department: null, phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: 'active', groupIds: [] };
    const source = { scimSettingId: scimSettingId.toHexString(), scimUserId: id, emailKey: userName, view, version: 1, rulesVersion: 1, deprovisionedAt: null, lastSyncedAt: now.getTime(), createdAt: now.getTime() };
    targets.push(personDoc(companyId, { id: randomUUID(), emailKey: userName, origin: 'scim', shown: view, manualGroupIds: [], sources: [source], fieldSource: { scimSettingId: source.scimSettingId, scimUserId: id }, sync: { version: 1, rulesVersion: 1 }, createdAt: now.getTime() }, now));
  }
  for (let i = 0; i < count; i += 2000) {
    await system.models.ScimUserResource.collection.insertMany(resources.slice(i, i + 2000) as never[]);
    await system.models.TargetUser.collection.insertMany(targets.slice(i, i + 2000) as never[]);
  }
  return ids;
}

/** Sync activity lines of a setting for one resource, oldest first. */
export async function activities(system: TestSystem, resourceId: string) {
  return system.models.SyncActivity.collection.find({ resourceId }, { sort: { at: 1 } }).toArray();
}
