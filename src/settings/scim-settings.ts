import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { DeletePolicy, GroupingCriteria } from '../models/scim-setting';
import { issueToken } from '../tokens/scim-token';

export interface NewScimSetting {
  companyId: Types.ObjectId;
  name: string;
  fieldMappings?: { scimPath: string; customFieldId: Types.ObjectId }[];
  targetGroupId?: Types.ObjectId | null;
  groupingCriteria?: GroupingCriteria;
  groupByCustomFieldId?: Types.ObjectId | null;
  deletePolicy?: DeletePolicy;
  takeOverExisting?: boolean;
  precedence?: number;
}

/** Creates a SCIM setting and returns its token: the only time the token exists outside the IdP. */
export async function createScimSetting(models: Models, input: NewScimSetting): Promise<{ id: Types.ObjectId; token: string }> {
  const issued = issueToken();
  const setting = await models.ScimSetting.create({
    ...input,
    token: { prefix: issued.prefix, hash: issued.hash, rotatedAt: new Date() },
  });
  return { id: setting._id, token: issued.token };
}

/** A new token for the setting; the old one stops working with this write. */
export async function rotateScimToken(models: Models, scimSettingId: Types.ObjectId): Promise<string> {
  const issued = issueToken();
  const result = await models.ScimSetting.updateOne(
    { _id: scimSettingId },
    { $set: { 'token.prefix': issued.prefix, 'token.hash': issued.hash, 'token.rotatedAt': new Date() } },
  );
  if (result.matchedCount !== 1) throw new Error(`SCIM setting ${scimSettingId.toHexString()} not found`);
  return issued.token;
}
