import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../models';
import type { ScimGroupMember, ScimGroupResourceDoc } from '../models/scim-group-resource';
import { conflict, notFound, ScimError } from '../scim/errors';
import { groupResourceType } from '../scim/schema/resource-types';
import type { ScimResource } from '../scim/resources/canonicalize';
import { parseGroupBody, validateGroup } from '../scim/resources/group-body';
import { renderResource, storedData } from '../scim/resources/render';
import type { Paging } from '../scim/resources/list-response';
import { applyPatch, type PatchOperation } from '../scim/patch';
import { isDuplicateKey } from './mongo-errors';
import { listResources, type ListedPage } from './list-resources';
import { tenantFilter, type Tenant } from './tenant';
import { SerialWrites, type AssertLockHeld } from './write-lock';
import { projectionDue } from './projection-due';
import { readByIds } from './by-values';

const MAX_WRITE_ATTEMPTS = 20;
/** A group write's lock grows by 1 ms per member it names, up to this (a 10,000-member PATCH: 10 s more). */
const MAX_EXTRA_LOCK_MS = 50_000;

export interface GroupWrite {
  doc: ScimGroupResourceDoc;
  changed: boolean;
  /** Member ids that name no user of this setting: left out, and reported in the sync activity. */
  ignoredMembers: string[];
}

const indexedFields = {
  id: { field: '_id', lowercase: false },
  displayName: { field: 'displayNameKey', lowercase: true },
  externalId: { field: 'externalId', lowercase: false },
  'members.value': { field: 'members.value', lowercase: false },
};

/**
 * Frees a deleted group's name at once. A leading space never starts a live key (names are
 * trimmed); a NUL would, but PostgreSQL under FerretDB cannot store one.
 */
const tombstoneKey = (id: string) => ` deleted:${id}`;

const duplicateName = (name: string) => conflict(`A group with displayName "${name}" already exists.`);

/** The resource as filters and responses see it: `members` lives in its own field. */
export function groupResource(doc: Pick<ScimGroupResourceDoc, 'data' | 'members'>): ScimResource {
  return { ...(JSON.parse(doc.data) as ScimResource), members: doc.members ?? [] };
}

/** The SCIM Groups of one SCIM setting, as the IdP sees them. */
export class ScimGroupStore {
  private readonly writes: SerialWrites;

  constructor(private readonly models: Models) {
    this.writes = new SerialWrites(models, 'Group');
  }

  private serially<T>(id: string, write: (assertHeld: AssertLockHeld) => Promise<T>, extraMs = 0): Promise<T> {
    return this.writes.run(id, write, extraMs);
  }

  private get collection() {
    return this.models.ScimGroupResource.collection;
  }

  /** Keeps only members that are users of this setting; a group is never left naming a stranger. */
  private async knownMembers(tenant: Tenant, members: ScimGroupMember[], alreadyKnown: Set<string>): Promise<{ kept: ScimGroupMember[]; ignored: string[] }> {
    const toCheck = members.map((m) => m.value).filter((v) => !alreadyKnown.has(v));
    const found = new Set(alreadyKnown);
    const live = { ...tenantFilter(tenant), deleted: false };
    for (const user of await readByIds(this.models.ScimUserResource.db, this.models.ScimUserResource.collection, live, toCheck, { _id: 1 })) found.add(String(user._id));
    const kept = members.filter((m) => found.has(m.value));
    return { kept, ignored: members.filter((m) => !found.has(m.value)).map((m) => m.value) };
  }

  private fieldsOf(resource: ScimResource, members: ScimGroupMember[]) {
    const displayName = (resource.displayName as string).trim();
    const { members: _members, ...rest } = resource;
    return {
      displayName,
      displayNameKey: displayName.toLowerCase(),
      externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
      members: members.map(({ value, display, type }) => ({ value, ...(display ? { display } : {}), ...(type ? { type } : {}) })),
      data: storedData(rest),
    };
  }

  async create(tenant: Tenant, body: unknown, requestId: string): Promise<GroupWrite> {
    const resource = parseGroupBody(body);
    const { kept, ignored } = await this.knownMembers(tenant, resource.members as ScimGroupMember[], new Set());
    const now = new Date();
    const doc: ScimGroupResourceDoc = {
      _id: randomUUID(),
      companyId: tenant.companyId,
      scimSettingId: tenant.scimSettingId,
      version: 1,
      ...this.fieldsOf(resource, kept),
      targetGroupId: new Types.ObjectId(),
      created: now,
      lastModified: now,
      deleted: false,
    };
    const due = { kind: 'Group' as const, resourceId: doc._id, version: 1, operation: 'create', requestId };
    const dueId = await projectionDue.record(this.models, tenant, due);
    try {
      await this.collection.insertOne(doc as never);
    } catch (err) {
      // Only a definite refusal withdraws it: after a timeout the insert may still have landed.
      if (isDuplicateKey(err)) {
        await projectionDue.withdraw(this.models, tenant, dueId);
        throw duplicateName(doc.displayName);
      }
      throw err;
    }
    return { doc, changed: true, ignoredMembers: ignored };
  }

  /** For the setting's projection: the group as stored, tombstone included. */
  async readForProjection(tenant: Tenant, id: string): Promise<ScimGroupResourceDoc | null> {
    return (await this.collection.findOne({ _id: id as never, ...tenantFilter(tenant) })) as unknown as ScimGroupResourceDoc | null;
  }

  /** Live groups' target group ids by member: which mirrored groups each user is in. One read per projection batch. */
  async targetGroupsByMember(tenant: Tenant): Promise<Map<string, string[]>> {
    const byMember = new Map<string, string[]>();
    const groups = this.collection.find({ ...tenantFilter(tenant), deleted: false }, { projection: { members: 1, targetGroupId: 1 } });
    for await (const group of groups) {
      const targetGroupId = (group.targetGroupId as Types.ObjectId).toHexString();
      for (const member of (group.members as ScimGroupMember[] | undefined) ?? []) {
        const list = byMember.get(member.value);
        if (list) list.push(targetGroupId);
        else byMember.set(member.value, [targetGroupId]);
      }
    }
    return byMember;
  }

  /** Every group of the setting, tombstones included, by id: what a re-sync makes due again (workers/projection/resync-setting.ts). */
  async allIds(tenant: Tenant): Promise<string[]> {
    return (await this.collection.find(tenantFilter(tenant), { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id));
  }

  async removeTombstone(tenant: Tenant, id: string, version: number): Promise<void> {
    await this.collection.deleteOne({ _id: id as never, ...tenantFilter(tenant), version, deleted: true });
  }

  async get(tenant: Tenant, id: string, withMembers = true): Promise<ScimGroupResourceDoc> {
    const doc = await this.collection.findOne(
      { _id: id as never, ...tenantFilter(tenant), deleted: false },
      withMembers ? {} : { projection: { members: 0 } },
    );
    if (!doc) throw notFound(`Group ${id} not found.`);
    return doc as unknown as ScimGroupResourceDoc;
  }

  list(tenant: Tenant, filter: string | undefined, paging: Paging, withMembers: boolean, location: (id: string) => string): Promise<ListedPage<ScimGroupResourceDoc>> {
    return listResources(
      this.models.ScimGroupResource,
      { ...tenantFilter(tenant), deleted: false },
      groupResourceType,
      indexedFields,
      filter,
      paging,
      (doc) => renderResource(doc, 'Group', location(doc._id), { members: doc.members ?? [] }),
      withMembers || filter ? {} : { members: 0 },
    );
  }

  replace(tenant: Tenant, id: string, body: unknown, requestId: string): Promise<GroupWrite> {
    const replacement = parseGroupBody(body);
    return this.update(tenant, id, 'replace', () => replacement, requestId, Array.isArray(replacement.members) ? replacement.members.length : 0);
  }

  patch(tenant: Tenant, id: string, operations: PatchOperation[], requestId: string): Promise<GroupWrite> {
    const named = operations.reduce((n, op) => n + (Array.isArray(op.value) ? op.value.length : 0), 0);
    return this.update(tenant, id, 'patch', (current) => validateGroup(applyPatch(current, operations, groupResourceType).resource), requestId, named);
  }

  delete(tenant: Tenant, id: string, requestId: string): Promise<ScimGroupResourceDoc> {
    return this.serially(id, (assertHeld) => this.markDeleted(tenant, id, requestId, assertHeld));
  }

  private async markDeleted(tenant: Tenant, id: string, requestId: string, assertHeld: AssertLockHeld): Promise<ScimGroupResourceDoc> {
    const current = await this.get(tenant, id, false);
    assertHeld();
    await projectionDue.record(this.models, tenant, { kind: 'Group', resourceId: id, version: current.version + 1, operation: 'delete', requestId });
    const result = await this.collection.findOneAndUpdate(
      { _id: id as never, ...tenantFilter(tenant), deleted: false },
      {
        $set: { deleted: true, displayNameKey: tombstoneKey(id), lastModified: new Date() },
        $inc: { version: 1 },
      },
      // No projection: FerretDB v1 does not implement findAndModify's `fields`.
      { returnDocument: 'after' },
    );
    if (!result) throw notFound(`Group ${id} not found.`);
    return result as unknown as ScimGroupResourceDoc;
  }

  /**
   * RFC 7644 §3.6: a deleted user leaves every group. Returns the groups changed, each at
   * its new version, for their projections.
   */
  async removeMemberEverywhere(tenant: Tenant, userId: string, requestId: string): Promise<ScimGroupResourceDoc[]> {
    const groups = await this.collection
      .find({ ...tenantFilter(tenant), 'members.value': userId, deleted: false }, { projection: { _id: 1 } })
      .toArray();
    const changed: ScimGroupResourceDoc[] = [];
    for (const group of groups) {
      const write = await this.update(tenant, String(group._id), 'patch', (current) => ({
        ...current,
        members: (current.members as ScimGroupMember[]).filter((m) => m.value !== userId),
      }), requestId).catch((err: unknown) => {
        // A group deleted meanwhile has no member left to remove; the user's DELETE still succeeded.
        if (err instanceof ScimError && err.status === 404) return null;
        throw err;
      });
      if (write?.changed) changed.push(write.doc);
    }
    return changed;
  }

  /**
   * Read, change, write back only if the version is unchanged (see ScimUserStore.update), under
   * the group's lock; a write naming many members (`named` values) holds it longer, 1 ms each.
   */
  private update(tenant: Tenant, id: string, operation: 'replace' | 'patch', change: (current: ScimResource) => ScimResource, requestId: string, named = 0): Promise<GroupWrite> {
    return this.serially(id, (assertHeld) => this.compareAndSet(tenant, id, operation, change, requestId, assertHeld), Math.min(MAX_EXTRA_LOCK_MS, named));
  }

  private async compareAndSet(
    tenant: Tenant,
    id: string,
    operation: 'replace' | 'patch',
    change: (current: ScimResource) => ScimResource,
    requestId: string,
    assertHeld: AssertLockHeld,
  ): Promise<GroupWrite> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const current = await this.get(tenant, id);
      const next = change(groupResource(current));
      const known = new Set(current.members.map((m) => m.value));
      const { kept, ignored } = await this.knownMembers(tenant, next.members as ScimGroupMember[], known);
      const fields = this.fieldsOf(next, kept);
      const unchanged = fields.data === current.data && JSON.stringify(fields.members) === JSON.stringify(current.members);
      if (unchanged) return { doc: current, changed: false, ignoredMembers: ignored };
      const lastModified = new Date();
      assertHeld();
      const due = { kind: 'Group' as const, resourceId: id, version: current.version + 1, operation, requestId };
      const dueId = await projectionDue.record(this.models, tenant, due);
      try {
        const result = await this.collection.updateOne(
          { _id: id as never, ...tenantFilter(tenant), version: current.version, deleted: false },
          { $set: { ...fields, lastModified }, $inc: { version: 1 } },
        );
        if (result.matchedCount === 1) {
          return { doc: { ...current, ...fields, lastModified, version: current.version + 1 }, changed: true, ignoredMembers: ignored };
        }
      } catch (err) {
        if (isDuplicateKey(err) || (await this.nameTaken(tenant, id, fields.displayNameKey))) {
          await projectionDue.withdraw(this.models, tenant, dueId);
          throw duplicateName(fields.displayName);
        }
        throw err;
      }
    }
    throw new ScimError(409, `Group ${id} is being changed concurrently; retry the request.`);
  }

  /** FerretDB v1 reports a unique-index violation on update as an InternalError, not E11000: ask the index's question directly. */
  private async nameTaken(tenant: Tenant, id: string, displayNameKey: string): Promise<boolean> {
    const other = await this.collection.findOne({ ...tenantFilter(tenant), displayNameKey, _id: { $ne: id as never } }, { projection: { _id: 1 } });
    return other !== null;
  }
}
