import type { Types } from 'mongoose';
import type { Models } from '../models';
import { targetUserId } from '../models/target-user';
import type { TargetUserView } from '../mapping/project-user';
import { isFerretDb } from '../db/server-kind';
import type { Tenant } from './tenant';
import { readByIds } from './read-by-ids';

/** MongoDB: statements per bulkWrite. */
const BULK_CHUNK = 500;

/** A target user as the projection keeps it. */
export interface StoredTargetUser extends TargetUserView {
  _id: string;
  scimUserId: string;
  sync: { version: number; rulesVersion: number; lastSyncedAt: Date | null };
  createdAt: Date;
}

export interface TargetUserWrite {
  scimUserId: string;
  view: TargetUserView;
  version: number;
  rulesVersion: number;
  /** When a changed user was first written (kept); null for a new one. */
  createdAt: Date | null;
}

const fromDoc = (doc: Record<string, unknown>): StoredTargetUser => ({
  ...(doc as unknown as StoredTargetUser),
  groupIds: ((doc.groupIds as Types.ObjectId[] | undefined) ?? []).map((id) => id.toHexString()),
});

/**
 * Target users: written only by their SCIM setting's projection (one at a time per setting,
 * README "Consistency model"), so a write replaces the whole document without a version check.
 */
export const targetUsers = {
  /**
   * One query for the batch (src/store/read-by-ids.ts): FerretDB 1.24 serves no filter from an
   * index (even `_id` becomes a JSONB containment scan), so one read for all of them beats one
   * per user; MongoDB serves the `_id` list from its index.
   */
  async readMany(models: Models, tenant: Tenant, scimUserIds: string[]): Promise<Map<string, StoredTargetUser>> {
    const ids = scimUserIds.map((id) => targetUserId(tenant.scimSettingId, id));
    const docs = await readByIds(models.TargetUser.db, models.TargetUser.collection, { scimSettingId: tenant.scimSettingId }, ids);
    return new Map(docs.map((doc) => [String(doc.scimUserId), fromDoc(doc)] as const));
  },

  /** Target users of the setting in a target group (a mirrored group's current members). */
  async inGroup(models: Models, tenant: Tenant, targetGroupId: Types.ObjectId): Promise<string[]> {
    const docs = await models.TargetUser.collection.find({ scimSettingId: tenant.scimSettingId, groupIds: targetGroupId }, { projection: { scimUserId: 1 } }).toArray();
    return docs.map((doc) => String(doc.scimUserId));
  },

  /**
   * New users in one insertMany. Changed ones are replaced whole: on MongoDB by bulkWrite; on
   * FerretDB by one deleteMany and one insertMany, because a bulk update of more than ~30
   * existing documents hangs FerretDB 1.24 for every client and single updates each scan the
   * collection. Nobody else writes these documents; a crash between the two leaves the due
   * records in place, and the replay inserts the users again.
   */
  async write(models: Models, tenant: Tenant, changes: { created: TargetUserWrite[]; changed: TargetUserWrite[]; removed: string[] }, now = new Date()): Promise<void> {
    const { ObjectId } = models.TargetUser.base.Types;
    const doc = (w: TargetUserWrite) => ({
      _id: targetUserId(tenant.scimSettingId, w.scimUserId),
      companyId: tenant.companyId,
      scimSettingId: tenant.scimSettingId,
      scimUserId: w.scimUserId,
      ...w.view,
      groupIds: w.view.groupIds.map((id) => new ObjectId(id)),
      sync: { version: w.version, rulesVersion: w.rulesVersion, lastSyncedAt: now },
      createdAt: w.createdAt ?? now,
      updatedAt: now,
    });
    const collection = models.TargetUser.collection;
    const idsOf = (ids: string[]) => ({ scimSettingId: tenant.scimSettingId, _id: { $in: ids.map((id) => targetUserId(tenant.scimSettingId, id)) as never[] } });
    if (changes.removed.length) await collection.deleteMany(idsOf(changes.removed));
    if (changes.changed.length && (await isFerretDb(models.TargetUser.db))) {
      await collection.deleteMany(idsOf(changes.changed.map((w) => w.scimUserId)));
      await collection.insertMany([...changes.created, ...changes.changed].map(doc) as never[], { ordered: false });
      return;
    }
    if (changes.created.length) await collection.insertMany(changes.created.map(doc) as never[], { ordered: false });
    for (let i = 0; i < changes.changed.length; i += BULK_CHUNK) {
      await collection.bulkWrite(
        changes.changed.slice(i, i + BULK_CHUNK).map((w) => ({ replaceOne: { filter: { _id: targetUserId(tenant.scimSettingId, w.scimUserId) as never }, replacement: doc(w) as never, upsert: true } })),
        { ordered: false },
      );
    }
  },
};
