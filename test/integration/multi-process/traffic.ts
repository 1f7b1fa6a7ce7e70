import { isDeepStrictEqual } from 'node:util';
import type { Types } from 'mongoose';
import type request from 'supertest';
import type { TestSystem } from '../../support/system';
import { ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import type { GroupingCriteria } from '../../../src/models/scim-setting';

/** One SCIM setting as its identity provider knows it. */
export interface Idp {
  name: string;
  token: string;
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  groupingCriteria: GroupingCriteria;
}

/** A SCIM user as the IdP last wrote it: what its target user must show in the end. */
export interface UserState {
  id: string;
  idp: Idp;
  userName: string;
  department: string;
  active: boolean;
  deleted: boolean;
  version: number;
}

export interface GroupState {
  id: string;
  idp: Idp;
  displayName: string;
  members: Set<string>;
  version: number;
}

export type Web = 0 | 1;

const versionOf = (body: { meta?: { version?: string } }) => Number(/^W\/"(\d+)"$/.exec(body.meta?.version ?? '')?.[1]);

/**
 * The identity providers' side of the test: every write goes to one web process and its 2xx is
 * followed at once by a GET of the same resource from the other web process (read-your-writes
 * across processes); what the GET showed wrongly is collected in `stale`. Writes to one resource
 * are sent one after another by the caller, as IdPs do; writes to different resources run
 * concurrently. Each write carries a request id of its own (`X-Request-Id`).
 */
export class Traffic {
  readonly users = new Map<string, UserState>();
  readonly groups = new Map<string, GroupState>();
  readonly stale: string[] = [];
  /** Requests sent to each web process. */
  readonly requests: [number, number] = [0, 0];
  writes = 0;
  private sequence = 0;

  constructor(
    private readonly system: TestSystem,
    private readonly webs: readonly [string, string],
  ) {}

  private client(idp: Idp, web: Web): ScimClient {
    return scimClient(this.system, idp.token, { app: () => this.webs[web] });
  }

  private async write(idp: Idp, web: Web, what: string, send: (client: ScimClient) => request.Test, status: number): Promise<request.Response> {
    this.sequence += 1;
    const answer = await send(this.client(idp, web)).set('X-Request-Id', `multi-process-${this.sequence}`);
    this.requests[web] += 1;
    this.writes += 1;
    if (answer.status !== status) throw new Error(`${what} on web ${web} answered ${answer.status}: ${answer.text}`);
    return answer;
  }

  /** The GET that must show the write just answered by `wrote`: sent to the other process. */
  private async readBack(idp: Idp, wrote: Web, path: string): Promise<request.Response> {
    const other: Web = wrote === 0 ? 1 : 0;
    this.requests[other] += 1;
    return this.client(idp, other).get(path);
  }

  private expectSame(what: string, written: unknown, read: request.Response): void {
    if (read.status !== 200 || !isDeepStrictEqual(read.body, written)) this.stale.push(`${what}: wrote ${JSON.stringify(written)}, the other process answered ${read.status} ${read.text}`);
  }

  async createUser(idp: Idp, web: Web, userName: string, department: string): Promise<UserState> {
    const body = { schemas: [USER_SCHEMA, ENTERPRISE], userName, externalId: userName.split('@')[0], name: { givenName: 'Given', familyName: userName.split('@')[0] }, emails: [{ primary: true, type: 'work', value: userName }], active: true, [ENTERPRISE]: { department } };
    const answer = await this.write(idp, web, `POST /Users ${userName}`, (c) => c.post('/Users', body), 201);
    const user: UserState = { id: answer.body.id as string, idp, userName, department, active: true, deleted: false, version: versionOf(answer.body) };
    this.users.set(user.id, user);
    this.expectSame(`POST /Users ${userName}`, answer.body, await this.readBack(idp, web, `/Users/${user.id}`));
    return user;
  }

  async moveUser(user: UserState, web: Web, department: string): Promise<void> {
    const answer = await this.write(user.idp, web, `PATCH /Users/${user.id}`, (c) => c.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: department })), 200);
    Object.assign(user, { department, version: versionOf(answer.body) });
    this.expectSame(`PATCH department of ${user.userName}`, answer.body, await this.readBack(user.idp, web, `/Users/${user.id}`));
  }

  async deactivateUser(user: UserState, web: Web): Promise<void> {
    const answer = await this.write(user.idp, web, `PATCH /Users/${user.id}`, (c) => c.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false })), 200);
    Object.assign(user, { active: false, version: versionOf(answer.body) });
    this.expectSame(`PATCH active:false of ${user.userName}`, answer.body, await this.readBack(user.idp, web, `/Users/${user.id}`));
  }

  /** The user's DELETE also takes it out of its groups: both are read back from the other process. */
  async deleteUser(user: UserState, web: Web): Promise<void> {
    await this.write(user.idp, web, `DELETE /Users/${user.id}`, (c) => c.delete(`/Users/${user.id}`), 204);
    user.deleted = true;
    const read = await this.readBack(user.idp, web, `/Users/${user.id}`);
    if (read.status !== 404) this.stale.push(`DELETE /Users/${user.id}: the other process answered ${read.status}`);
    for (const group of this.groups.values()) {
      if (group.members.delete(user.id)) await this.expectGroup(group, web, `DELETE /Users/${user.id}`);
    }
  }

  async createGroup(idp: Idp, web: Web, displayName: string, members: UserState[]): Promise<GroupState> {
    const answer = await this.write(idp, web, `POST /Groups ${displayName}`, (c) => c.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, members: members.map((m) => ({ value: m.id })) }), 201);
    const group: GroupState = { id: answer.body.id as string, idp, displayName, members: new Set(members.map((m) => m.id)), version: versionOf(answer.body) };
    this.groups.set(group.id, group);
    this.expectSame(`POST /Groups ${displayName}`, answer.body, await this.readBack(idp, web, `/Groups/${group.id}`));
    return group;
  }

  async addMembers(group: GroupState, web: Web, members: UserState[]): Promise<void> {
    await this.write(group.idp, web, `PATCH /Groups/${group.id}`, (c) => c.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: members.map((m) => ({ value: m.id })) })), 204);
    for (const m of members) group.members.add(m.id);
    await this.expectGroup(group, web, `PATCH add members of ${group.displayName}`);
  }

  async removeMembers(group: GroupState, web: Web, members: UserState[]): Promise<void> {
    await this.write(group.idp, web, `PATCH /Groups/${group.id}`, (c) => c.patch(`/Groups/${group.id}`, patchOp(...members.map((m) => ({ op: 'remove', path: `members[value eq "${m.id}"]` })))), 204);
    for (const m of members) group.members.delete(m.id);
    await this.expectGroup(group, web, `PATCH remove members of ${group.displayName}`);
  }

  async renameGroup(group: GroupState, web: Web, displayName: string): Promise<void> {
    await this.write(group.idp, web, `PATCH /Groups/${group.id}`, (c) => c.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: displayName })), 204);
    group.displayName = displayName;
    await this.expectGroup(group, web, `PATCH displayName of ${group.id}`);
  }

  /** A group PATCH answers 204: the other process must show a newer version with the members and name as written. */
  private async expectGroup(group: GroupState, wrote: Web, what: string): Promise<void> {
    const read = await this.readBack(group.idp, wrote, `/Groups/${group.id}`);
    const shown = { status: read.status, displayName: read.body.displayName as unknown, members: ((read.body.members ?? []) as { value: string }[]).map((m) => m.value).sort() };
    const wanted = { status: 200, displayName: group.displayName, members: [...group.members].sort() };
    const version = versionOf(read.body);
    if (!isDeepStrictEqual(shown, wanted) || !(version > group.version)) this.stale.push(`${what}: wanted ${JSON.stringify(wanted)} after version ${group.version}, the other process showed ${JSON.stringify(shown)} at version ${version}`);
    group.version = version;
  }
}

/** Runs the tasks `parallel` at a time, in order, until one fails; `onDone` hears how many have finished. */
export async function runConcurrently(tasks: Array<() => Promise<void>>, parallel: number, onDone: (finished: number) => void = () => undefined): Promise<void> {
  let next = 0;
  let finished = 0;
  let failed = false;
  const lane = async () => {
    while (next < tasks.length && !failed) {
      const task = tasks[next]!;
      next += 1;
      await task().catch((err: unknown) => {
        failed = true;
        throw err;
      });
      finished += 1;
      onDone(finished);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
}
