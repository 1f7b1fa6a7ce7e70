import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { SettingRank } from '../mapping/people';

type RankedSetting = { _id: Types.ObjectId; precedence?: number; createdAt?: Date };

/** The company's order of SCIM settings: precedence (1 when unset), then the older first; the id only makes ties stable. */
export const bySettingOrder = (a: RankedSetting, b: RankedSetting): number =>
  (a.precedence ?? 1) - (b.precedence ?? 1) || (a.createdAt?.getTime?.() ?? 0) - (b.createdAt?.getTime?.() ?? 0) || a._id.toHexString().localeCompare(b._id.toHexString());

/** One setting's take-over option and precedence as an admin has typed them but not saved (Preview changes). */
export interface PostedRank {
  scimSettingId: Types.ObjectId;
  precedence: number;
  takeOverExisting: boolean;
}

/**
 * The ranks of the company's settings as stored, or with one setting's precedence and take-over
 * replaced by those on its form: the preview ranks with the values saving would store, in the
 * same order the projection reads after Save.
 */
export function rankSettings(settings: ReadonlyArray<RankedSetting & { takeOverExisting?: boolean }>, posted?: PostedRank): Map<string, SettingRank> {
  const ranked = settings.map((s) => (posted && s._id.equals(posted.scimSettingId) ? { ...s, precedence: posted.precedence, takeOverExisting: posted.takeOverExisting } : s));
  ranked.sort(bySettingOrder);
  return new Map(ranked.map((s, order) => [s._id.toHexString(), { order, takeOverExisting: s.takeOverExisting !== false }] as const));
}

/**
 * The company's SCIM settings in its order (precedence, then the older first) with their
 * take-over option: which source's fields a person several settings send shows.
 */
export async function settingRanks(models: Models, companyId: Types.ObjectId): Promise<Map<string, SettingRank>> {
  const settings = await models.ScimSetting.collection
    .find({ companyId }, { projection: { precedence: 1, takeOverExisting: 1, createdAt: 1 } })
    .toArray();
  return rankSettings(settings as Array<RankedSetting & { takeOverExisting?: boolean }>);
}
