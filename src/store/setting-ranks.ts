import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { SettingRank } from '../mapping/people';

type RankedSetting = { _id: Types.ObjectId; precedence?: number; createdAt?: Date };

/** The company's order of SCIM settings: precedence (1 when unset), then the older first; the id only makes ties stable. */
export const bySettingOrder = (a: RankedSetting, b: RankedSetting): number =>
  (a.precedence ?? 1) - (b.precedence ?? 1) || (a.createdAt?.getTime?.() ?? 0) - (b.createdAt?.getTime?.() ?? 0) || a._id.toHexString().localeCompare(b._id.toHexString());

/**
 * The company's SCIM settings in its order (precedence, then the older first) with their
 * take-over option: which source's fields a person several settings send shows.
 */
export async function settingRanks(models: Models, companyId: Types.ObjectId): Promise<Map<string, SettingRank>> {
  const settings = await models.ScimSetting.collection
    .find({ companyId }, { projection: { precedence: 1, takeOverExisting: 1, createdAt: 1 } })
    .toArray();
  settings.sort(bySettingOrder);
  return new Map(settings.map((s, order) => [s._id.toHexString(), { order, takeOverExisting: s.takeOverExisting !== false }] as const));
}
