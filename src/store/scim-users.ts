import { randomUUID } from 'node:crypto';
import type { Models } from '../models';
import type { ScimUserResourceDoc } from '../models/scim-user-resource';
import { conflict, notFound, ScimError } from '../scim/errors';
import { userResourceType } from '../scim/schema/resource-types';
import type { ScimResource } from '../scim/resources/canonicalize';
import { parseUserBody, validateUser } from '../scim/resources/user-body';
import { renderResource, storedData } from '../scim/resources/render';
import type { Paging } from '../scim/resources/list-response';
import { applyPatch, type PatchOperation } from '../scim/patch';
import { isDuplicateKey, isDuplicateOnUpdate } from './mongo-errors';
import { listResources, type ListedPage } from './list-resources';
import { tenantFilter, type Tenant } from './tenant';
import { SerialWrites, type AssertLockHeld } from './write-lock';
import { projectionDue } from './projection-due';
import { readByIds } from './by-values';

/** How often a write re-reads and re-applies after losing an optimistic-concurrency race. */
const MAX_WRITE_ATTEMPTS = 20;

export interface UserWrite {
  doc: ScimUserResourceDoc;
  /** False when the request changed nothing: no new version, no projection. */
  changed: boolean;
}

const indexedFields = {
  id: { field: '_id', lowercase: false },
  userName: { field: 'userNameKey', lowercase: true },
  externalId: { field: 'externalId', lowercase: false },
};

function fieldsOf(resource: ScimResource) {
  const userName = (resource.userName as string).trim();
  return {
    userName,
    userNameKey: userName.toLowerCase(),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    active: resource.active !== false,
    data: storedData(resource),
  };
}

/**
 * The userNameKey of a deleted user's tombstone: it gives the userName back at once (JumpCloud
 * re-creates its test user). A lower-cased userName never holds upper-case letters, so the key
 * cannot collide with one; nor does it hold NUL, which FerretDB's PostgreSQL storage refuses.
 */
const tombstoneUserNameKey = (id: string) => `DELETED ${id}`;

const duplicateUserName = (userName: string) => conflict(`A user with userName "${userName}" already exists.`);

/** The SCIM Users of one SCIM setting, as the IdP sees them. */
export class ScimUserStore {
  private readonly writes: SerialWrites;

  constructor(private readonly models: Models) {
    this.writes = new SerialWrites(models, 'User');
  }

  private serially<T>(id: string, write: (assertHeld: AssertLockHeld) => Promise<T>): Promise<T> {
    return this.writes.run(id, write);
  }

  private get collection() {
    return this.models.ScimUserResource.collection;
  }

  async create(tenant: Tenant, body: unknown, requestId: string): Promise<ScimUserResourceDoc> {
    const resource = parseUserBody(body);
    const now = new Date();
    const doc: ScimUserResourceDoc = {
      _id: randomUUID(),
      companyId: tenant.companyId,
      scimSettingId: tenant.scimSettingId,
      version: 1,
      ...fieldsOf(resource),
      created: now,
      lastModified: now,
      deleted: false,
    };
    const due = { kind: 'User' as const, resourceId: doc._id, version: 1, operation: 'create', requestId };
    const dueId = await projectionDue.record(this.models, tenant, due);
    try {
      await this.collection.insertOne(doc as never);
    } catch (err) {
      // Only a definite refusal withdraws it: after a timeout the insert may still have landed.
      if (isDuplicateKey(err)) {
        await projectionDue.withdraw(this.models, tenant, dueId);
        throw duplicateUserName(doc.userName);
      }
      throw err;
    }
    return doc;
  }

  async get(tenant: Tenant, id: string): Promise<ScimUserResourceDoc> {
    const doc = await this.collection.findOne({ _id: id as never, ...tenantFilter(tenant), deleted: false });
    if (!doc) throw notFound(`User ${id} not found.`);
    return doc as unknown as ScimUserResourceDoc;
  }

  /** For the setting's projection: these users as stored, tombstones included, in one query (src/store/by-values.ts). */
  async readForProjection(tenant: Tenant, ids: string[]): Promise<Map<string, ScimUserResourceDoc>> {
    if (ids.length === 0) return new Map();
    const docs = await readByIds(this.models.ScimUserResource.db, this.collection, tenantFilter(tenant), ids);
    return new Map(docs.map((doc) => [String(doc._id), doc as unknown as ScimUserResourceDoc] as const));
  }

  /** Every user of the setting, tombstones included, by id: what a re-sync makes due again (workers/projection/resync-setting.ts). */
  async allIds(tenant: Tenant): Promise<string[]> {
    return (await this.collection.find(tenantFilter(tenant), { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id));
  }

  /** A deleted user's tombstone goes once its deletion is projected; nothing writes a tombstone after that. */
  async removeTombstone(tenant: Tenant, id: string, version: number): Promise<void> {
    await this.collection.deleteOne({ _id: id as never, ...tenantFilter(tenant), version, deleted: true });
  }

  list(tenant: Tenant, filter: string | undefined, paging: Paging, location: (id: string) => string): Promise<ListedPage<ScimUserResourceDoc>> {
    return listResources(
      this.models.ScimUserResource,
      { ...tenantFilter(tenant), deleted: false },
      userResourceType,
      indexedFields,
      filter,
      paging,
      (doc) => renderResource(doc, 'User', location(doc._id)),
    );
  }

  replace(tenant: Tenant, id: string, body: unknown, requestId: string): Promise<UserWrite> {
    const replacement = parseUserBody(body);
    return this.update(tenant, id, 'replace', () => replacement, requestId);
  }

  patch(tenant: Tenant, id: string, operations: PatchOperation[], requestId: string): Promise<UserWrite> {
    return this.update(tenant, id, 'patch', (current) => validateUser(applyPatch(current, operations, userResourceType).resource), requestId);
  }

  delete(tenant: Tenant, id: string, requestId: string): Promise<ScimUserResourceDoc> {
    return this.serially(id, (assertHeld) => this.markDeleted(tenant, id, requestId, assertHeld));
  }

  private async markDeleted(tenant: Tenant, id: string, requestId: string, assertHeld: AssertLockHeld): Promise<ScimUserResourceDoc> {
    const current = await this.get(tenant, id);
    assertHeld();
    await projectionDue.record(this.models, tenant, { kind: 'User', resourceId: id, version: current.version + 1, operation: 'delete', requestId });
    const result = await this.collection.findOneAndUpdate(
      { _id: id as never, ...tenantFilter(tenant), deleted: false },
      {
        $set: { deleted: true, userNameKey: tombstoneUserNameKey(id), lastModified: new Date() },
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!result) throw notFound(`User ${id} not found.`);
    return { ...current, ...(result as unknown as ScimUserResourceDoc) };
  }

  /**
   * Read, change, write back only if nobody wrote in between (version check), else retry:
   * changes to one user apply one after another in the order they win, none is lost.
   */
  private update(tenant: Tenant, id: string, operation: 'replace' | 'patch', change: (current: ScimResource) => ScimResource, requestId: string): Promise<UserWrite> {
    return this.serially(id, (assertHeld) => this.compareAndSet(tenant, id, operation, change, requestId, assertHeld));
  }

  private async compareAndSet(
    tenant: Tenant,
    id: string,
    operation: 'replace' | 'patch',
    change: (current: ScimResource) => ScimResource,
    requestId: string,
    assertHeld: AssertLockHeld,
  ): Promise<UserWrite> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const current = await this.get(tenant, id);
      const before = JSON.parse(current.data) as ScimResource;
      const next = change(before);
      const fields = fieldsOf(next);
      if (fields.data === current.data) return { doc: current, changed: false };
      const lastModified = new Date();
      assertHeld();
      const due = { kind: 'User' as const, resourceId: id, version: current.version + 1, operation, requestId };
      const dueId = await projectionDue.record(this.models, tenant, due);
      try {
        const result = await this.collection.updateOne(
          { _id: id as never, ...tenantFilter(tenant), version: current.version, deleted: false },
          { $set: { ...fields, lastModified }, $inc: { version: 1 } },
        );
        if (result.matchedCount === 1) {
          return { doc: { ...current, ...fields, lastModified, version: current.version + 1 }, changed: true };
        }
      } catch (err) {
        if (isDuplicateOnUpdate(err)) {
          await projectionDue.withdraw(this.models, tenant, dueId);
          throw duplicateUserName(fields.userName);
        }
        throw err;
      }
    }
    throw new ScimError(409, `User ${id} is being changed concurrently; retry the request.`);
  }
}
