import { projectionDue } from '../../src/store/projection-due';
import type { Models } from '../../src/models';
import type { ScimSetting } from '../../src/models/scim-setting';
import { displayPrefix } from '../../src/tokens/scim-token';
import { lastTokenUse } from '../../src/store/token-usage';
import { settingConflicts, type SettingConflicts } from './setting-conflicts';

/** Figures of a setting's synchronisation for its page. */
export interface SyncFigures {
  targetUsers: number;
  targetGroups: number;
  failures: number;
  lastActivityAt: Date | null;
  /** When the setting's projection last applied or confirmed a write. */
  lastProjectedAt: Date | null;
  /** SCIM writes its projection has still to show (projection_due), and how many of them are failing and waiting for a retry. */
  due: number;
  failing: number;
}

export interface SettingOverview {
  id: string;
  name: string;
  enabled: boolean;
  companyName: string;
  tokenPrefix: string;
  tokenIssuedAt: Date | null;
  /** The last request the identity provider authenticated with the token. */
  lastRequestAt: Date | null;
  sync: SyncFigures;
  conflicts: SettingConflicts;
  rules: {
    mappings: Array<{ scimPath: string; customField: string }>;
    targetGroup: string | null;
    groupingCriteria: ScimSetting['groupingCriteria'];
    groupByField: string | null;
    deletePolicy: ScimSetting['deletePolicy'];
    takeOverExisting: boolean;
    precedence: number;
  };
}

/** What a SCIM setting's page shows, read within the setting's company. */
export async function settingOverview(models: Models, setting: ScimSetting): Promise<SettingOverview> {
  const scimSettingId = setting._id;
  const [company, fields, group, targetUsers, targetGroups, failures, last, lastRequestAt, lastProjected, due, conflicts] = await Promise.all([
    models.Company.findById(setting.companyId, { name: 1 }).lean(),
    models.CustomField.find({ companyId: setting.companyId }, { name: 1 }).lean(),
    setting.targetGroupId ? models.TargetGroup.findOne({ _id: setting.targetGroupId, companyId: setting.companyId }, { name: 1 }).lean() : null,
    models.TargetUser.countDocuments({ sourceSettingIds: scimSettingId, status: { $ne: 'deleted' as const } }),
    models.TargetGroup.countDocuments({ scimSettingId }),
    models.SyncActivity.countDocuments({ scimSettingId, outcome: 'failed' as const }),
    models.SyncActivity.findOne({ scimSettingId }, { at: 1 }).sort({ at: -1 }).lean(),
    lastTokenUse(models, { companyId: setting.companyId, scimSettingId }),
    models.SyncActivity.findOne({ scimSettingId, outcome: { $in: ['applied', 'unchanged', 'skipped'] } }, { at: 1 }).sort({ at: -1 }).lean(),
    projectionDue.count(models, { companyId: setting.companyId, scimSettingId }),
    settingConflicts(models, { companyId: setting.companyId, scimSettingId }),
  ]);
  const fieldName = new Map(fields.map((f) => [f._id.toHexString(), f.name]));
  return {
    id: scimSettingId.toHexString(),
    name: setting.name,
    enabled: setting.enabled,
    companyName: company?.name ?? '',
    tokenPrefix: setting.token ? displayPrefix(setting.token.prefix) : '',
    tokenIssuedAt: setting.token?.rotatedAt ?? null,
    lastRequestAt,
    sync: { targetUsers, targetGroups, failures, lastActivityAt: last?.at ?? null, lastProjectedAt: lastProjected?.at ?? null, due: due.due, failing: due.failing },
    conflicts,
    rules: {
      mappings: setting.fieldMappings.map((m) => ({ scimPath: m.scimPath, customField: fieldName.get(m.customFieldId.toHexString()) ?? 'a deleted custom field' })),
      targetGroup: group?.name ?? null,
      groupingCriteria: setting.groupingCriteria,
      groupByField: setting.groupByCustomFieldId ? (fieldName.get(setting.groupByCustomFieldId.toHexString()) ?? null) : null,
      deletePolicy: setting.deletePolicy,
      takeOverExisting: setting.takeOverExisting,
      precedence: setting.precedence,
    },
  };
}
