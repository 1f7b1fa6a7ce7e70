import { projectionDue } from '../../src/store/projection-due';
import type { Models } from '../../src/models';
import type { ScimSetting } from '../../src/models/scim-setting';
import { companies } from '../../src/store/companies';
import { customFields } from '../../src/store/custom-fields';
import { syncActivity } from '../../src/store/sync-activity';
import { targetGroups } from '../../src/store/target-groups';
import { targetUserReads } from '../../src/store/target-user-reads';
import { lastTokenUse } from '../../src/store/token-usage';
import { displayPrefix } from '../../src/tokens/scim-token';
import { settingConflicts, type SettingConflicts } from './setting-conflicts';
import { tenantOf } from './settings-service';

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
  const tenant = tenantOf(setting);
  const [companyName, fields, groupName, targetUsers, groups, failures, lastActivityAt, lastRequestAt, lastProjectedAt, due, conflicts] = await Promise.all([
    companies.nameOf(models, setting.companyId),
    customFields.namesOfCompany(models, setting.companyId),
    setting.targetGroupId ? targetGroups.nameOf(models, setting.companyId, setting.targetGroupId) : null,
    targetUserReads.countSentBy(models, tenant),
    targetGroups.countMadeBy(models, tenant),
    syncActivity.countFailed(models, tenant),
    syncActivity.lastAt(models, tenant),
    lastTokenUse(models, tenant),
    syncActivity.lastProjectedAt(models, tenant),
    projectionDue.count(models, tenant),
    settingConflicts(models, tenant),
  ]);
  const fieldName = new Map(fields.map((f) => [f._id.toHexString(), f.name]));
  return {
    id: scimSettingId.toHexString(),
    name: setting.name,
    enabled: setting.enabled,
    companyName: companyName ?? '',
    tokenPrefix: setting.token ? displayPrefix(setting.token.prefix) : '',
    tokenIssuedAt: setting.token?.rotatedAt ?? null,
    lastRequestAt,
    sync: { targetUsers, targetGroups: groups, failures, lastActivityAt, lastProjectedAt, due: due.due, failing: due.failing },
    conflicts,
    rules: {
      mappings: setting.fieldMappings.map((m) => ({ scimPath: m.scimPath, customField: fieldName.get(m.customFieldId.toHexString()) ?? 'a deleted custom field' })),
      targetGroup: groupName,
      groupingCriteria: setting.groupingCriteria,
      groupByField: setting.groupByCustomFieldId ? (fieldName.get(setting.groupByCustomFieldId.toHexString()) ?? null) : null,
      deletePolicy: setting.deletePolicy,
      takeOverExisting: setting.takeOverExisting,
      precedence: setting.precedence,
    },
  };
}
