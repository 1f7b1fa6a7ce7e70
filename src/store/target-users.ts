import { Types, type mongo } from 'mongoose';
import type { Models } from '../models';
import type { PersonState, SourceState } from '../mapping/people';
import type { TargetUserView } from '../mapping/project-user';
import { isFerretDb } from '../db/server-kind';
import { readByValues } from './read-by-ids';
import type { Tenant } from './tenant';

/** MongoDB: statements per bulkWrite. */
const BULK_CHUNK = 500;

type Doc = mongo.Document;

const hex = (id: unknown) => (id instanceof Types.ObjectId ? id.toHexString() : String(id));
const ms = (date: unknown) => (date instanceof Date ? date.getTime() : null);
const oids = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

function viewOf(doc: Doc): TargetUserView {
  return {
    userName: doc.userName ?? null,
    externalId: doc.externalId ?? null,
    email: doc.email ?? null,
    firstName: doc.firstName ?? null,
    lastName: doc.lastName ?? null,
    department: doc.department ?? null,
    phoneNumber: doc.phoneNumber ?? null,
    title: doc.title ?? null,
    manager: doc.manager ?? null,
    managerId: doc.managerId ?? null,
    customFields: (doc.customFields ?? {}) as Record<string, string>,
    status: doc.status ?? 'active',
    groupIds: ((doc.groupIds ?? []) as unknown[]).map(hex),
  };
}

const viewDoc = (view: TargetUserView) => ({ ...view, groupIds: oids(view.groupIds) });

export function personFromDoc(doc: Doc): PersonState {
  return {
    id: String(doc._id),
    emailKey: String(doc.emailKey),
    origin: doc.origin,
    shown: viewOf(doc),
    manualGroupIds: ((doc.manualGroupIds ?? []) as unknown[]).map(hex),
    sources: ((doc.sources ?? []) as Doc[]).map(
      (s): SourceState => ({
        scimSettingId: hex(s.scimSettingId),
        scimUserId: String(s.scimUserId),
        emailKey: String(s.emailKey),
        view: viewOf(s.view ?? {}),
        version: s.version ?? 0,
        rulesVersion: s.rulesVersion ?? 0,
        deprovisionedAt: ms(s.deprovisionedAt),
        lastSyncedAt: ms(s.lastSyncedAt),
        createdAt: ms(s.createdAt) ?? 0,
      }),
    ),
    fieldSource: doc.scimSettingId ? { scimSettingId: hex(doc.scimSettingId), scimUserId: String(doc.scimUserId) } : null,
    sync: { version: doc.sync?.version ?? 0, rulesVersion: doc.sync?.rulesVersion ?? 0 },
    createdAt: ms(doc.createdAt) ?? 0,
    exclusion: doc.scimExclusion ? { at: ms(doc.scimExclusion.at) ?? 0, groupIds: ((doc.scimExclusion.groupIds ?? []) as unknown[]).map(hex) } : null,
  };
}

/** The stored document of a person; `sourceKeys` and `sourceSettingIds` derived from its sources. */
export function personDoc(companyId: Types.ObjectId, person: PersonState, now: Date): Doc {
  const date = (t: number | null) => (t === null ? null : new Date(t));
  return {
    _id: person.id,
    companyId,
    emailKey: person.emailKey,
    origin: person.origin,
    scimSettingId: person.fieldSource ? new Types.ObjectId(person.fieldSource.scimSettingId) : null,
    scimUserId: person.fieldSource?.scimUserId ?? null,
    ...viewDoc(person.shown),
    manualGroupIds: oids(person.manualGroupIds),
    sources: person.sources.map((s) => ({
      scimSettingId: new Types.ObjectId(s.scimSettingId),
      scimUserId: s.scimUserId,
      emailKey: s.emailKey,
      view: viewDoc(s.view),
      version: s.version,
      rulesVersion: s.rulesVersion,
      deprovisionedAt: date(s.deprovisionedAt),
      lastSyncedAt: date(s.lastSyncedAt),
      createdAt: new Date(s.createdAt),
    })),
    sourceKeys: person.sources.map((s) => `${s.scimSettingId}:${s.scimUserId}`),
    sourceSettingIds: [...new Set(person.sources.map((s) => s.scimSettingId))].map((id) => new Types.ObjectId(id)),
    sync: { ...person.sync, lastSyncedAt: person.sources.length ? now : null },
    scimExclusion: person.exclusion ? { at: new Date(person.exclusion.at), groupIds: oids(person.exclusion.groupIds) } : null,
    createdAt: new Date(person.createdAt),
    updatedAt: now,
  };
}

export interface PeopleWrite {
  created: PersonState[];
  changed: PersonState[];
  removed: string[];
}

/**
 * Target users, the people of a company (src/models/target-user.ts). Every method takes the
 * tenant and reads or writes only its company's people; writes happen only under the company's
 * projection lease (README "Consistency model"), so a write replaces whole documents without a
 * version check.
 */
export const targetUsers = {
  /**
   * The people holding these SCIM users of the setting (by source key). Read with the batch's
   * SCIM users, so a batch that only changes existing users reads no more than before people.
   */
  async bySources(models: Models, tenant: Tenant, sourceKeys: string[]): Promise<PersonState[]> {
    return (await readByValues(models.TargetUser.db, models.TargetUser.collection, { companyId: tenant.companyId }, 'sourceKeys', sourceKeys)).map(personFromDoc);
  },

  /** The people holding these addresses: asked only for the addresses no person read by source holds (new users, address changes). */
  async byAddresses(models: Models, tenant: Tenant, emailKeys: string[]): Promise<PersonState[]> {
    return (await readByValues(models.TargetUser.db, models.TargetUser.collection, { companyId: tenant.companyId }, 'emailKey', emailKeys)).map(personFromDoc);
  },

  /** The SCIM users of the setting whose own rules put them in a target group (a mirrored group's current members). */
  async inGroup(models: Models, tenant: Tenant, targetGroupId: Types.ObjectId): Promise<string[]> {
    const docs = await models.TargetUser.collection
      .find({ companyId: tenant.companyId, sourceSettingIds: tenant.scimSettingId, groupIds: targetGroupId }, { projection: { sources: 1 } })
      .toArray();
    const setting = tenant.scimSettingId.toHexString();
    return docs.flatMap((doc) =>
      ((doc.sources ?? []) as Doc[]).filter((s) => hex(s.scimSettingId) === setting && ((s.view?.groupIds ?? []) as unknown[]).some((g) => hex(g) === targetGroupId.toHexString())).map((s) => String(s.scimUserId)),
    );
  },

  /**
   * New people in one insertMany. Changed ones are replaced whole: on MongoDB by bulkWrite
   * (before the inserts, so an address a moved person left is free for a new one); on FerretDB by
   * one deleteMany and one insertMany, because a bulk update of more than ~30 existing documents
   * hangs FerretDB 1.24 for every client and single updates each scan the collection. Nobody
   * else writes these documents meanwhile (the company's lease); a crash between the two leaves
   * the due records in place, and the replay writes the people again.
   */
  async write(models: Models, tenant: Tenant, changes: PeopleWrite, now = new Date()): Promise<void> {
    const collection = models.TargetUser.collection;
    const docOf = (p: PersonState) => personDoc(tenant.companyId, p, now);
    const idsOf = (ids: string[]) => ({ companyId: tenant.companyId, _id: { $in: ids as never[] } });
    if (changes.removed.length) await collection.deleteMany(idsOf(changes.removed));
    if (changes.changed.length && (await isFerretDb(models.TargetUser.db))) {
      await collection.deleteMany(idsOf(changes.changed.map((p) => p.id)));
      await collection.insertMany([...changes.changed, ...changes.created].map(docOf) as never[], { ordered: false });
      return;
    }
    for (let i = 0; i < changes.changed.length; i += BULK_CHUNK) {
      await collection.bulkWrite(
        changes.changed.slice(i, i + BULK_CHUNK).map((p) => ({ replaceOne: { filter: { _id: p.id as never, companyId: tenant.companyId }, replacement: docOf(p) as never, upsert: true } })),
        { ordered: false },
      );
    }
    if (changes.created.length) await collection.insertMany(changes.created.map(docOf) as never[], { ordered: false });
  },
};
