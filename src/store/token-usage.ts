import type { Types } from 'mongoose';
import type { Models } from '../models';
import { databaseConnection } from './connection';
import type { Tenant } from './tenant';

/**
 * When each SCIM setting's token last authenticated a request, kept out of the setting's own
 * document on purpose: FerretDB v1 applies an update by rewriting the whole document it read,
 * so a "last used" write on the request path could undo a token rotation or an admin's edit
 * that landed a moment earlier, and a revoked token would work again. Only this module writes
 * here, and two "now"s written at once are as good as each other. A record's `_id` is its
 * setting's id: the tenant is the whole filter.
 */
const COLLECTION = 'scim_setting_usage';

interface SettingUsage {
  _id: Types.ObjectId;
  lastUsedAt: Date;
}

const usage = (models: Models) => databaseConnection(models).collection<SettingUsage>(COLLECTION);

export async function recordTokenUse(models: Models, tenant: Tenant, at: Date): Promise<void> {
  await usage(models).updateOne({ _id: tenant.scimSettingId }, { $set: { lastUsedAt: at } }, { upsert: true });
}

/** For the console's "Last used": null when the token has never been used. */
export async function lastTokenUse(models: Models, tenant: Tenant): Promise<Date | null> {
  return (await usage(models).findOne({ _id: tenant.scimSettingId }))?.lastUsedAt ?? null;
}
