import type { Connection } from 'mongoose';
import { companyModel } from './company';
import { customFieldModel } from './custom-field';
import { scimSettingModel } from './scim-setting';
import { targetGroupModel } from './target-group';
import { targetUserModel } from './target-user';
import { targetUserConflictModel } from './target-user-conflict';
import { syncActivityModel } from './sync-activity';
import { scimUserResourceModel } from './scim-user-resource';
import { scimGroupResourceModel } from './scim-group-resource';
import { adminUserModel } from './admin-user';
import { projectionDueModel } from './projection-due';
import { settingResyncModel } from './setting-resync';

/**
 * Models are bound to a connection rather than to mongoose's global one, so each test file
 * can work in a database of its own.
 */
export function createModels(connection: Connection) {
  return {
    Company: companyModel(connection),
    CustomField: customFieldModel(connection),
    ScimSetting: scimSettingModel(connection),
    TargetGroup: targetGroupModel(connection),
    TargetUser: targetUserModel(connection),
    TargetUserConflict: targetUserConflictModel(connection),
    SyncActivity: syncActivityModel(connection),
    ScimUserResource: scimUserResourceModel(connection),
    ScimGroupResource: scimGroupResourceModel(connection),
    AdminUser: adminUserModel(connection),
    ProjectionDue: projectionDueModel(connection),
    SettingResync: settingResyncModel(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index before serving: uniqueness rules are enforced by them. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
