import type { Types } from 'mongoose';
import type { Models } from '../../src/models';
import type { GroupingCriteria, DeletePolicy } from '../../src/models/scim-setting';

/** A SCIM setting as projections use it: mappings resolved to custom field keys. */
export interface SettingRules {
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  rulesVersion: number;
  fieldMappings: { scimPath: string; customFieldKey: string }[];
  targetGroupId: Types.ObjectId | null;
  groupingCriteria: GroupingCriteria;
  groupByCustomFieldKey: string | null;
  deletePolicy: DeletePolicy;
}

export async function loadSettingRules(models: Models, scimSettingId: Types.ObjectId): Promise<SettingRules | null> {
  const setting = await models.ScimSetting.collection.findOne({ _id: scimSettingId });
  if (!setting) return null;
  const fieldIds = [
    ...(setting.fieldMappings ?? []).map((m: { customFieldId: Types.ObjectId }) => m.customFieldId),
    ...(setting.groupByCustomFieldId ? [setting.groupByCustomFieldId] : []),
  ];
  const fields = fieldIds.length
    ? await models.CustomField.collection.find({ _id: { $in: fieldIds }, companyId: setting.companyId }).toArray()
    : [];
  const keyOf = new Map(fields.map((f) => [f._id.toHexString(), f.key as string]));
  return {
    companyId: setting.companyId,
    scimSettingId: setting._id,
    rulesVersion: setting.rulesVersion ?? 1,
    fieldMappings: (setting.fieldMappings ?? []).flatMap((m: { scimPath: string; customFieldId: Types.ObjectId }) => {
      const key = keyOf.get(m.customFieldId.toHexString());
      return key ? [{ scimPath: m.scimPath, customFieldKey: key }] : [];
    }),
    targetGroupId: setting.targetGroupId ?? null,
    groupingCriteria: setting.groupingCriteria ?? 'none',
    groupByCustomFieldKey: setting.groupByCustomFieldId ? (keyOf.get(setting.groupByCustomFieldId.toHexString()) ?? null) : null,
    deletePolicy: setting.deletePolicy ?? 'markDeleted',
  };
}
