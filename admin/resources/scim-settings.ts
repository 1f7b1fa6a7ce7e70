import { Types } from 'mongoose';
import { displayPrefix } from '../../src/tokens/scim-token';
import { lastTokenUse } from '../../src/tokens/token-usage';
import type { Models } from '../../src/models';
import type { RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import type { ScopedResourceClass } from '../adminjs/scoped-resource';
import { hidden, NAVIGATION, recordPageAction, resourcePageAction, withComputed } from './common';

const page = (id: string, action: string) => `/admin/x/scim-settings/${id}/${action}`;

/** The list's columns the model does not hold: token prefix for display, last use, sync counts, last activity. */
async function addSettingStats(models: Models, records: RecordJSON[]): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      const scimSettingId = new Types.ObjectId(String(record.id));
      const [users, groups, last, lastUsedAt] = await Promise.all([
        models.TargetUser.countDocuments({ scimSettingId, status: { $ne: 'deleted' as const } }),
        models.TargetGroup.countDocuments({ scimSettingId }),
        models.SyncActivity.findOne({ scimSettingId }, { at: 1 }).sort({ at: -1 }).lean(),
        lastTokenUse(models, scimSettingId),
      ]);
      const prefix = record.params['token.prefix'];
      record.params.tokenPrefix = typeof prefix === 'string' ? displayPrefix(prefix) : '';
      record.params.syncedUsers = users;
      record.params.syncedGroups = groups;
      record.params.lastActivityAt = last?.at ?? null;
      record.params.lastUsedAt = lastUsedAt;
    }),
  );
}

/**
 * "Company Settings > SCIM Settings". AdminJS lists and shows them; creating, editing and the
 * token actions happen on the console's own pages (the token is shown once, the form offers
 * SCIM attributes with free entry and reports invalid mappings on the field).
 */
export function scimSettingResource(models: Models, Scoped: ScopedResourceClass): ResourceWithOptions {
  const stats = withComputed((records) => addSettingStats(models, records));
  return {
    resource: new Scoped(models.ScimSetting as never, { scopeField: 'companyId', redact: ['token.hash'] }),
    options: {
      navigation: NAVIGATION.companySettings,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['name', 'enabled', 'tokenPrefix', 'createdAt', 'lastUsedAt', 'syncedUsers', 'syncedGroups', 'lastActivityAt'],
      showProperties: [
        'name', 'companyId', 'enabled', 'tokenPrefix', 'token.rotatedAt', 'fieldMappings', 'targetGroupId', 'groupingCriteria', 'groupByCustomFieldId',
        'deletePolicy', 'rulesVersion', 'createdAt', 'lastUsedAt', 'syncedUsers', 'syncedGroups', 'lastActivityAt',
      ],
      filterProperties: ['name', 'enabled', 'companyId', 'groupingCriteria'],
      properties: {
        token: { isVisible: false },
        tokenPrefix: { type: 'string', isVisible: { list: true, show: true, edit: false, filter: false } },
        syncedUsers: { type: 'number', isVisible: { list: true, show: true, edit: false, filter: false } },
        syncedGroups: { type: 'number', isVisible: { list: true, show: true, edit: false, filter: false } },
        lastActivityAt: { type: 'datetime', isVisible: { list: true, show: true, edit: false, filter: false } },
        lastUsedAt: { type: 'datetime', isVisible: { list: true, show: true, edit: false, filter: false } },
      },
      actions: {
        list: { after: stats },
        show: { after: stats },
        new: resourcePageAction('Plus', '/admin/x/scim-settings/new'),
        edit: recordPageAction('Edit', (id) => page(id, 'edit')),
        rotateToken: recordPageAction('Key', (id) => page(id, 'rotate')),
        toggleEnabled: recordPageAction('Power', (id) => page(id, 'enabled')),
        resync: recordPageAction('RefreshCw', (id) => page(id, 'resync')),
        setupHelp: resourcePageAction('HelpCircle', '/admin/x/setup-help'),
        // Deleting a setting would orphan its users' SCIM state; disable it instead.
        delete: hidden,
        bulkDelete: hidden,
      },
    },
  };
}
