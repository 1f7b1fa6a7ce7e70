import type { Types } from 'mongoose';
import type { Models } from '../../src/models';
import type { ProjectionRules } from '../../src/mapping/project-user';
import { customFields } from '../../src/store/custom-fields';
import { scimSettings } from '../../src/store/scim-settings';
import { targetGroups } from '../../src/store/target-groups';
import type { Tenant } from '../../src/store/tenant';

/** The setting's rules as projections use them: mappings resolved to custom field keys; null when the setting is gone. */
export async function loadSettingRules(models: Models, tenant: Tenant): Promise<ProjectionRules | null> {
  const setting = await scimSettings.rulesOf(models, tenant);
  if (!setting) return null;
  const mappings = (setting.fieldMappings ?? []) as Array<{ scimPath: string; customFieldId: Types.ObjectId }>;
  const fieldIds = [...mappings.map((m) => m.customFieldId), ...(setting.groupByCustomFieldId ? [setting.groupByCustomFieldId as Types.ObjectId] : [])];
  const fields = fieldIds.length ? await customFields.byIds(models, tenant.companyId, fieldIds) : [];
  const keyOf = new Map(fields.map((f) => [f._id.toHexString(), f.key as string]));
  const chosen = (setting.targetGroupId ?? null) as Types.ObjectId | null;
  return {
    rulesVersion: setting.rulesVersion ?? 1,
    fieldMappings: mappings.flatMap((m) => {
      const key = keyOf.get(m.customFieldId.toHexString());
      return key ? [{ scimPath: m.scimPath, customFieldKey: key }] : [];
    }),
    // A chosen group an admin deleted is no group: users fall back to none rather than to a dangling id.
    targetGroupId: chosen && (await targetGroups.exists(models, tenant, chosen)) ? chosen.toHexString() : null,
    groupingCriteria: setting.groupingCriteria ?? 'none',
    groupByCustomFieldKey: setting.groupByCustomFieldId ? (keyOf.get((setting.groupByCustomFieldId as Types.ObjectId).toHexString()) ?? null) : null,
    deletePolicy: setting.deletePolicy ?? 'markDeleted',
  };
}

