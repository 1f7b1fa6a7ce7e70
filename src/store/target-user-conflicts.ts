import type { Models } from '../models';
import type { ConflictReason, TargetUserConflictDoc } from '../models/target-user-conflict';
import { sourceKey } from '../models/target-user';
import type { Tenant } from './tenant';

export interface ConflictEntry {
  scimUserId: string;
  reason: ConflictReason;
  email: string;
  heldBy: string;
}

/**
 * SCIM users of a setting its projection could not place without merging two people
 * (src/models/target-user-conflict.ts). Written only by the setting's projection, under the
 * company's lease; read by the console.
 */
export const targetUserConflicts = {
  /** After a batch: the conflicts it found stand (replacing earlier ones of those SCIM users), those of the rest it placed go. */
  async settle(models: Models, tenant: Tenant, found: ConflictEntry[], placed: string[], now = new Date()): Promise<void> {
    const collection = models.TargetUserConflict.collection;
    const ids = [...found.map((c) => c.scimUserId), ...placed].map((id) => sourceKey(tenant.scimSettingId, id));
    if (ids.length === 0) return;
    // Only the batch's users that have a conflict stored: a setting has few, a batch thousands of users.
    const stored = new Set((await collection.find({ companyId: tenant.companyId, scimSettingId: tenant.scimSettingId }, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id)));
    // One delete and one insert: replacing in place would be an update per conflict. The `$in`
    // is matched over the setting's conflicts, just read whole.
    const gone = ids.filter((id) => stored.has(id));
    if (gone.length) await collection.deleteMany({ scimSettingId: tenant.scimSettingId, _id: { $in: gone as never[] } });
    if (found.length === 0) return;
    await collection.insertMany(
      found.map((c): TargetUserConflictDoc => ({ _id: sourceKey(tenant.scimSettingId, c.scimUserId), companyId: tenant.companyId, scimSettingId: tenant.scimSettingId, at: now, ...c })) as never[],
      { ordered: false },
    );
  },

  /** The setting's conflicts, newest first, and how many there are. */
  async ofSetting(models: Models, tenant: Tenant, limit = 20): Promise<{ count: number; latest: TargetUserConflictDoc[] }> {
    const filter = { companyId: tenant.companyId, scimSettingId: tenant.scimSettingId };
    const [count, latest] = await Promise.all([
      models.TargetUserConflict.collection.countDocuments(filter),
      models.TargetUserConflict.collection.find(filter).sort({ at: -1 }).limit(limit).toArray() as unknown as Promise<TargetUserConflictDoc[]>,
    ]);
    return { count, latest };
  },
};
