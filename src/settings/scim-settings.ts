import type { Types } from 'mongoose';
import type { Models } from '../models';
import { scimSettings, type ScimSettingFields } from '../store/scim-settings';
import type { Tenant } from '../store/tenant';
import { issueToken } from '../tokens/scim-token';

export interface NewScimSetting extends ScimSettingFields {
  companyId: Types.ObjectId;
}

/** Creates a SCIM setting and returns its token: the only time the token exists outside the IdP. */
export async function createScimSetting(models: Models, input: NewScimSetting): Promise<{ id: Types.ObjectId; token: string }> {
  const issued = issueToken();
  const { companyId, ...fields } = input;
  const id = await scimSettings.create(models, companyId, fields, { prefix: issued.prefix, hash: issued.hash, rotatedAt: new Date() });
  return { id, token: issued.token };
}

/** A new token for the setting; the old one stops working with this write. */
export async function rotateScimToken(models: Models, setting: Tenant): Promise<string> {
  const issued = issueToken();
  const found = await scimSettings.replaceToken(models, setting, { prefix: issued.prefix, hash: issued.hash, rotatedAt: new Date() });
  if (!found) throw new Error(`SCIM setting ${setting.scimSettingId.toHexString()} not found`);
  return issued.token;
}
