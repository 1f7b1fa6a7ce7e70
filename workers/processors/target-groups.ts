import type { Types } from 'mongoose';
import type { Models } from '../../src/models';
import { nameKey } from '../../src/models/target-group';
import { isDuplicateKey } from '../../src/store/mongo-errors';

/**
 * The group a group-by value names: found, or made once. Many workers may ask for the same
 * new department at once; the unique (companyId, key) index lets exactly one insert win
 * and the others read the winner.
 */
export async function ensureGroupByGroup(models: Models, companyId: Types.ObjectId, scimSettingId: Types.ObjectId, name: string): Promise<Types.ObjectId> {
  const groups = models.TargetGroup.collection;
  const key = nameKey(name);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = await groups.findOne({ companyId, key }, { projection: { _id: 1 } });
    if (existing) return existing._id;
    const now = new Date();
    try {
      const inserted = await groups.insertOne({
        companyId,
        name,
        key,
        source: 'groupBy',
        scimSettingId,
        scimGroupId: null,
        createdAt: now,
        updatedAt: now,
      } as never);
      return inserted.insertedId as Types.ObjectId;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`Could not create or find target group "${name}"`);
}
