import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { DeletePolicy, GroupingCriteria } from '../models/scim-setting';
import { companyScopeFilter, type CompanyScope, type Tenant } from './tenant';

/** What a SCIM setting is made of besides its company and its token. */
export interface ScimSettingFields {
  name: string;
  fieldMappings?: { scimPath: string; customFieldId: Types.ObjectId }[];
  targetGroupId?: Types.ObjectId | null;
  groupingCriteria?: GroupingCriteria;
  groupByCustomFieldId?: Types.ObjectId | null;
  deletePolicy?: DeletePolicy;
  takeOverExisting?: boolean;
  precedence?: number;
}

/** A token as stored: its visible prefix and the hash of the whole token (src/tokens/scim-token.ts). */
export interface StoredToken {
  prefix: string;
  hash: string;
  rotatedAt: Date;
}

/** What authenticating a request needs of the setting a token prefix names. */
export interface TokenOwner {
  _id: Types.ObjectId;
  companyId: Types.ObjectId;
  enabled: boolean;
  token: { hash: string };
}

/** The setting's own filter: its id within its company. */
const settingFilter = (tenant: Tenant) => ({ _id: tenant.scimSettingId, companyId: tenant.companyId });

/**
 * The SCIM settings of a company (src/models/scim-setting.ts). Every method takes the company, or
 * the setting as a Tenant, and filters by it; the one lookup before any tenant is known (a bearer
 * token's prefix) is `byTokenPrefix`, apart below.
 */
export const scimSettings = {
  async create(models: Models, companyId: Types.ObjectId, fields: ScimSettingFields, token: StoredToken): Promise<Types.ObjectId> {
    const setting = await models.ScimSetting.create({ companyId, ...fields, token });
    return setting._id;
  },

  /** A new token; the old one stops working with this write. Whether the setting was there. */
  async replaceToken(models: Models, tenant: Tenant, token: StoredToken): Promise<boolean> {
    const result = await models.ScimSetting.updateOne(settingFilter(tenant), { $set: { 'token.prefix': token.prefix, 'token.hash': token.hash, 'token.rotatedAt': token.rotatedAt } });
    return result.matchedCount === 1;
  },

  /** A setting by the id a console page was asked for, among those of the admin's companies; null when it is not one of them. */
  async findInScope(models: Models, scope: CompanyScope, id: string) {
    return models.ScimSetting.findOne({ _id: id, ...companyScopeFilter(scope) });
  },

  /** The setting as stored, for its projection's rules (workers/projection/setting-rules.ts); null once it is gone. */
  async rulesOf(models: Models, tenant: Tenant) {
    return models.ScimSetting.collection.findOne(settingFilter(tenant));
  },

  async setEnabled(models: Models, tenant: Tenant, enabled: boolean): Promise<void> {
    await models.ScimSetting.updateOne(settingFilter(tenant), { $set: { enabled } });
  },

  /** Saves the console form's fields when its rules did not change. */
  async updateFields(models: Models, tenant: Tenant, fields: ScimSettingFields): Promise<void> {
    await models.ScimSetting.updateOne(settingFilter(tenant), { $set: fields });
  },

  /** Saves the console form's fields and starts a new rules version in the same write; the setting as saved, null when it is gone. */
  async updateFieldsAndRules(models: Models, tenant: Tenant, fields: ScimSettingFields) {
    return models.ScimSetting.findOneAndUpdate(settingFilter(tenant), { $set: fields, $inc: { rulesVersion: 1 } }, { returnDocument: 'after' });
  },

  /** A new rules version (Re-sync); the setting as saved, null when it is gone. */
  async nextRulesVersion(models: Models, tenant: Tenant) {
    return models.ScimSetting.findOneAndUpdate(settingFilter(tenant), { $inc: { rulesVersion: 1 } }, { returnDocument: 'after' });
  },

  /** The company's other settings, for the form's Field precedence (src/store/setting-ranks.ts orders them). */
  async othersOfCompany(models: Models, companyId: Types.ObjectId, exceptId?: Types.ObjectId) {
    return models.ScimSetting.collection.find({ companyId, ...(exceptId ? { _id: { $ne: exceptId } } : {}) }, { projection: { name: 1, precedence: 1, createdAt: 1 } }).toArray();
  },

  /** A setting of the company that maps a custom field or groups by it: the field may not be deleted while there is one. */
  async usingCustomField(models: Models, companyId: Types.ObjectId, customFieldId: string) {
    return models.ScimSetting.findOne({ companyId, $or: [{ 'fieldMappings.customFieldId': customFieldId }, { groupByCustomFieldId: customFieldId }] }, { name: 1 }).lean();
  },

  /** A setting of the company whose Group Name is this target group: the group may not be deleted while there is one. */
  async choosingGroup(models: Models, companyId: Types.ObjectId, targetGroupId: string) {
    return models.ScimSetting.findOne({ companyId, targetGroupId }, { name: 1 }).lean();
  },

  /** The settings, of the companies a console page shows, whose Group Name is one of these target groups. */
  async choosingGroups(models: Models, companyIds: Types.ObjectId[], targetGroupIds: Types.ObjectId[]) {
    return models.ScimSetting.find({ companyId: { $in: companyIds }, targetGroupId: { $in: targetGroupIds } }, { name: 1, targetGroupId: 1 }).lean();
  },

  /** Names by id, of the settings of the companies a console page shows. */
  async names(models: Models, companyIds: Types.ObjectId[], ids: Types.ObjectId[]): Promise<Map<string, string>> {
    const settings = await models.ScimSetting.find({ companyId: { $in: companyIds }, _id: { $in: ids } }, { name: 1 }).lean();
    return new Map(settings.map((s) => [s._id.toHexString(), s.name]));
  },

  /** One setting's name; null when it is gone. */
  async nameOf(models: Models, tenant: Tenant): Promise<string | null> {
    return (await models.ScimSetting.findOne(settingFilter(tenant), { name: 1 }).lean())?.name ?? null;
  },
};

/**
 * The setting a bearer token's prefix names, with what checking the token needs. Not
 * tenant-scoped: the token is how the intake learns the tenant (src/http/scim-auth.ts), so no
 * tenant is known yet; the prefix is unique across every company.
 */
export async function settingByTokenPrefix(models: Models, prefix: string): Promise<TokenOwner | null> {
  return (await models.ScimSetting.collection.findOne({ 'token.prefix': prefix }, { projection: { companyId: 1, enabled: 1, 'token.hash': 1 } })) as TokenOwner | null;
}
