import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../models';
import { tombstoneDisplayNameKey, type ScimGroupMember, type ScimGroupResourceDoc } from '../models/scim-group-resource';
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

const MAX_WRITE_ATTEMPTS = 20;

export interface GroupWrite {
  doc: ScimGroupResourceDoc;
  changed: boolean;
  /** Member ids that name no user of this setting: left out, and reported in the sync activity. */
  ignoredMembers: string[];
}

const indexedFields = {
  id: { field: '_id', lowercase: false },
  displayname: { field: 'displayNameKey', lowercase: true },
  externalid: { field: 'externalId', lowercase: false },
  'members.value': { field: 'members.value', lowercase: false },
};

const duplicateName = (name: string) => conflict(`A group with displayName "${name}" already exists.`);

/** The resource as filters and responses see it: `members` lives in its own field. */
export function groupResource(doc: Pick<ScimGroupResourceDoc, 'data' | 'members'>): ScimResource {
  return { ...(JSON.parse(doc.data) as ScimResource), members: doc.members ?? [] };
}

/** The SCIM Groups of one SCIM setting, as the IdP sees them. */
export class ScimGroupStore {
  constructor(private readonly models: Models) {}

  private get collection() {
    return this.models.ScimGroupResource.collection;
  }

  /** Keeps only members that are users of this setting; a group is never left naming a stranger. */
  private async knownMembers(tenant: Tenant, members: ScimGroupMember[], alreadyKnown: Set<string>): Promise<{ kept: ScimGroupMember[]; ignored: string[] }> {
    const toCheck = members.map((m) => m.value).filter((v) => !alreadyKnown.has(v));
    const found = new Set(alreadyKnown);
    for (let i = 0; i < toCheck.length; i += 5000) {
      const ids = toCheck.slice(i, i + 5000);
      const docs = await this.models.ScimUserResource.collection
        .find({ _id: { $in: ids as never[] }, ...tenantFilter(tenant), deleted: false }, { projection: { _id: 1 } })
        .toArray();
      for (const d of docs) found.add(String(d._id));
    }
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

  async create(tenant: Tenant, body: unknown): Promise<GroupWrite> {
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
      projectionPending: true,
      projectionLease: null,
    };
    try {
      await this.collection.insertOne(doc as never);
    } catch (err) {
      if (isDuplicateKey(err)) throw duplicateName(doc.displayName);
      throw err;
    }
    return { doc, changed: true, ignoredMembers: ignored };
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

  replace(tenant: Tenant, id: string, body: unknown): Promise<GroupWrite> {
    const replacement = parseGroupBody(body);
    return this.update(tenant, id, () => replacement);
  }

  patch(tenant: Tenant, id: string, operations: PatchOperation[]): Promise<GroupWrite> {
    return this.update(tenant, id, (current) => validateGroup(applyPatch(current, operations, groupResourceType).resource));
  }

  async delete(tenant: Tenant, id: string): Promise<ScimGroupResourceDoc> {
    const result = await this.collection.findOneAndUpdate(
      { _id: id as never, ...tenantFilter(tenant), deleted: false },
      {
        $set: { deleted: true, displayNameKey: tombstoneDisplayNameKey(id), projectionPending: true, lastModified: new Date() },
        $inc: { version: 1 },
      },
      { returnDocument: 'after', projection: { members: 0 } },
    );
    if (!result) throw notFound(`Group ${id} not found.`);
    return result as unknown as ScimGroupResourceDoc;
  }

  /**
   * RFC 7644 §3.6: a deleted user leaves every group. Returns the groups changed, each at
   * its new version, for their projections.
   */
  async removeMemberEverywhere(tenant: Tenant, userId: string): Promise<ScimGroupResourceDoc[]> {
    const groups = await this.collection
      .find({ ...tenantFilter(tenant), 'members.value': userId, deleted: false }, { projection: { _id: 1 } })
      .toArray();
    const changed: ScimGroupResourceDoc[] = [];
    for (const group of groups) {
      const write = await this.update(tenant, String(group._id), (current) => ({
        ...current,
        members: (current.members as ScimGroupMember[]).filter((m) => m.value !== userId),
      }));
      if (write.changed) changed.push(write.doc);
    }
    return changed;
  }

  /** Read, change, write back only if the version is unchanged (see ScimUserStore.update). */
  private async update(tenant: Tenant, id: string, change: (current: ScimResource) => ScimResource): Promise<GroupWrite> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const current = await this.get(tenant, id);
      const next = change(groupResource(current));
      const known = new Set(current.members.map((m) => m.value));
      const { kept, ignored } = await this.knownMembers(tenant, next.members as ScimGroupMember[], known);
      const fields = this.fieldsOf(next, kept);
      const unchanged = fields.data === current.data && JSON.stringify(fields.members) === JSON.stringify(current.members);
      if (unchanged) return { doc: current, changed: false, ignoredMembers: ignored };
      const lastModified = new Date();
      try {
        const result = await this.collection.updateOne(
          { _id: id as never, ...tenantFilter(tenant), version: current.version, deleted: false },
          { $set: { ...fields, lastModified, projectionPending: true }, $inc: { version: 1 } },
        );
        if (result.matchedCount === 1) {
          return { doc: { ...current, ...fields, lastModified, projectionPending: true, version: current.version + 1 }, changed: true, ignoredMembers: ignored };
        }
      } catch (err) {
        if (isDuplicateKey(err)) throw duplicateName(fields.displayName);
        throw err;
      }
    }
    throw new ScimError(409, `Group ${id} is being changed concurrently; retry the request.`);
  }
}
