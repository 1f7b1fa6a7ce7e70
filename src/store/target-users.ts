import { Types, type mongo } from 'mongoose';
import type { Models } from '../models';
import type { PersonState, SourceState } from '../mapping/people';
import type { TargetUserView } from '../mapping/project-user';
import { isFerretDb } from '../db/server-kind';
import { isDuplicateOnUpdate, onlyDuplicateKeys } from './mongo-errors';
import { deleteByValues, eachConcurrently, readByValues } from './by-values';
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
   * New people in one insertMany, after the changed ones are replaced whole (so an address a
   * moved person left is free for a new one): on MongoDB by bulkWrite; on FerretDB one
   * replaceOne per person, a few at a time, because a bulk update of more than ~30 existing
   * documents hangs FerretDB 1.24 for every client, and a delete-then-insert would leave the
   * people missing for readers in between (a campaign started then would skip them). Each
   * replace is by `_id`, index-served with ops/ferretdb-equality-indexes.sql. Nobody else writes
   * these documents meanwhile (the company's lease); a crash midway leaves the due records in
   * place, and the replay writes the people again.
   */
  async write(models: Models, tenant: Tenant, changes: PeopleWrite, now = new Date()): Promise<void> {
    const collection = models.TargetUser.collection;
    const docOf = (p: PersonState) => personDoc(tenant.companyId, p, now);
    await deleteByValues(models.TargetUser.db, collection, { companyId: tenant.companyId }, '_id', changes.removed);
    const replace = (p: PersonState) => ({ filter: { _id: p.id as never, companyId: tenant.companyId }, replacement: docOf(p) as never, upsert: true });
    const ferretDb = await isFerretDb(models.TargetUser.db);
    /** One round of replacements; returns the people an address still held by another changed person refused. */
    const round = async (people: PersonState[]): Promise<PersonState[]> => {
      const refused: PersonState[] = [];
      if (ferretDb) {
        await eachConcurrently(people, async (p) => {
          const { filter, replacement, upsert } = replace(p);
          await collection.replaceOne(filter, replacement, { upsert }).catch((err: unknown) => {
            if (!isDuplicateOnUpdate(err)) throw err;
            refused.push(p);
          });
        });
        return refused;
      }
      for (let i = 0; i < people.length; i += BULK_CHUNK) {
        const chunk = people.slice(i, i + BULK_CHUNK);
        await collection.bulkWrite(chunk.map((p) => ({ replaceOne: replace(p) })), { ordered: false }).catch((err: unknown) => {
          if (!onlyDuplicateKeys(err)) throw err;
          for (const e of (err as { writeErrors: Array<{ index: number }> }).writeErrors) refused.push(chunk[e.index]!);
        });
      }
      return refused;
    };
    // Moves within a batch can chain (one person takes the address another leaves): a refused
    // replacement goes again once the others are written, until a round writes nothing more.
    for (let pending = changes.changed; pending.length > 0; ) {
      const refused = await round(pending);
      if (refused.length === pending.length) throw Object.assign(new Error(`target users ${refused.map((p) => p.id).join(', ')}: their addresses are held by other target users`), { code: 11000 });
      pending = refused;
    }
    if (changes.created.length) await collection.insertMany(changes.created.map(docOf) as never[], { ordered: false });
  },
};
