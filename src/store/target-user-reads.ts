import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { Tenant } from './tenant';

/**
 * The console's reads of target users besides AdminJS's own lists (src/models/target-user.ts):
 * counts for a setting's page and a group's row, the holders of conflicting addresses, managers.
 * Every method takes the company (a Tenant where a setting's people are meant, the companies a
 * console page shows for its lists) and filters by it. The projection's reads and writes are in
 * src/store/target-users.ts, the console's writes in src/store/target-user-edits.ts.
 */
export const targetUserReads = {
  /** The people the setting sends (a source of theirs is its SCIM user), deleted ones apart. */
  async countSentBy(models: Models, tenant: Tenant): Promise<number> {
    return models.TargetUser.countDocuments({ sourceSettingIds: tenant.scimSettingId, status: { $ne: 'deleted' as const } });
  },

  /** The members of one of the company's target groups. */
  async countMembers(models: Models, companyId: Types.ObjectId, targetGroupId: Types.ObjectId): Promise<number> {
    return models.TargetUser.countDocuments({ companyId, groupIds: targetGroupId });
  },

  /** The addresses of these people of the company, by id: who holds a conflicting address. */
  async emails(models: Models, companyId: Types.ObjectId, ids: string[]): Promise<Map<string, string | null>> {
    const holders = await models.TargetUser.collection.find({ companyId, _id: { $in: ids as never[] } }, { projection: { email: 1 } }).toArray();
    return new Map(holders.map((h) => [String(h._id), (h.email as string | null) ?? null]));
  },

  /**
   * The people of these companies who may be someone's manager: a source of theirs is one of
   * these (setting, SCIM id) keys, or has one of these external ids. In one query for a page.
   */
  async managerCandidates(models: Models, companyIds: Types.ObjectId[], sourceKeys: string[], externalIds: string[]) {
    return models.TargetUser.collection
      .find(
        {
          companyId: { $in: companyIds },
          $or: [{ sourceKeys: { $in: sourceKeys } }, { 'sources.view.externalId': { $in: externalIds } }],
        },
        { projection: { companyId: 1, email: 1, firstName: 1, lastName: 1, sources: 1 } },
      )
      .toArray();
  },
};
