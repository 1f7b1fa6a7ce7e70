import type { Types } from 'mongoose';
import type { Models } from '../models';

/**
 * When each SCIM setting's token last authenticated a request, kept out of the setting's own
 * document on purpose: FerretDB v1 applies an update by rewriting the whole document it read,
 * so a "last used" write on the request path could undo a token rotation or an admin's edit
 * that landed a moment earlier, and a revoked token would work again. Only this module writes
 * here, and two "now"s written at once are as good as each other.
 */
const COLLECTION = 'scim_setting_usage';

interface SettingUsage {
  _id: Types.ObjectId;
  lastUsedAt: Date;
}

const usage = (models: Models) => models.ScimSetting.db.collection<SettingUsage>(COLLECTION);

export async function recordTokenUse(models: Models, scimSettingId: Types.ObjectId, at: Date): Promise<void> {
  await usage(models).updateOne({ _id: scimSettingId }, { $set: { lastUsedAt: at } }, { upsert: true });
}

/** For the console's "Last used": null when the token has never been used. */
export async function lastTokenUse(models: Models, scimSettingId: Types.ObjectId): Promise<Date | null> {
  return (await usage(models).findOne({ _id: scimSettingId }))?.lastUsedAt ?? null;
}
