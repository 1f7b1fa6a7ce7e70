import { Types } from 'mongoose';
import { displayPrefix } from '../../src/tokens/scim-token';
import type { Models } from '../../src/models';
import { syncActivity } from '../../src/store/sync-activity';
import { targetGroups } from '../../src/store/target-groups';
import { targetUserReads } from '../../src/store/target-user-reads';
import { lastTokenUse } from '../../src/store/token-usage';
import type { ActionContext, RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import { companyField, consolePageAction, hidden, linkAction, NAVIGATION, withComputed, type ResourceSetup } from './common';

const page = (action: string) => `/admin/x/scim-settings/{recordId}/${action}`;
const isEnabled = (context: ActionContext) => context.record?.params.enabled === true;

/** The list's columns the model does not hold: token prefix for display, last request, sync counts. */
async function addSettingStats(models: Models, records: RecordJSON[]): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      const tenant = { companyId: new Types.ObjectId(String(record.params.companyId)), scimSettingId: new Types.ObjectId(String(record.id)) };
      const [users, groups, failures, lastUsedAt] = await Promise.all([
        targetUserReads.countSentBy(models, tenant),
        targetGroups.countMadeBy(models, tenant),
        syncActivity.countFailed(models, tenant),
        lastTokenUse(models, tenant),
      ]);
      const prefix = record.params['token.prefix'];
      record.params.tokenPrefix = typeof prefix === 'string' ? displayPrefix(prefix) : '';
      record.params.syncedUsers = users;
      record.params.syncedGroups = groups;
      record.params.failures = failures;
      record.params.lastUsedAt = lastUsedAt;
    }),
  );
}

/**
 * "Company Settings > SCIM Settings". AdminJS lists them; a setting's page, the form (new and
 * edit, with the preview), the token shown once and the confirmations are the console's own
 * pages inside AdminJS's layout (admin/pages/setting-routes.ts).
 */
export function scimSettingResource({ models, Scoped, components, audience }: ResourceSetup): ResourceWithOptions {
  const stats = withComputed((records) => addSettingStats(models, records));
  const shown = (list: boolean) => ({ list, show: false, edit: false, filter: false });
  return {
    resource: new Scoped(models.ScimSetting as never, { scopeField: 'companyId', redact: ['token.hash'] }),
    options: {
      navigation: NAVIGATION.companySettings,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['name', 'enabled', 'tokenPrefix', 'lastUsedAt', 'syncedUsers', 'syncedGroups', 'failures', ...companyField(audience)],
      filterProperties: ['name', 'enabled', 'groupingCriteria', ...companyField(audience)],
      properties: {
        token: { isVisible: false },
        enabled: {
          components: { list: components.Badge },
          custom: { variants: { true: 'success', false: 'danger' }, labels: { true: 'Enabled', false: 'Disabled' } },
        },
        tokenPrefix: { type: 'string', isVisible: shown(true) },
        syncedUsers: { type: 'number', isVisible: shown(true) },
        syncedGroups: { type: 'number', isVisible: shown(true) },
        failures: { type: 'number', isVisible: shown(true) },
        lastUsedAt: { type: 'datetime', isVisible: shown(true) },
      },
      actions: {
        list: { after: stats },
        show: consolePageAction(components, 'record', 'Eye', '/admin/x/scim-settings/{recordId}'),
        new: consolePageAction(components, 'resource', 'Plus', '/admin/x/scim-settings/new'),
        edit: consolePageAction(components, 'record', 'Edit', page('edit')),
        rotateToken: consolePageAction(components, 'record', 'Key', page('rotate')),
        // Labelled by what they do to the setting as it is now; both ask before they act.
        disable: consolePageAction(components, 'record', 'PauseCircle', page('enabled'), { isVisible: isEnabled }),
        enable: consolePageAction(components, 'record', 'PlayCircle', page('enabled'), { isVisible: (context) => !isEnabled(context) }),
        resync: consolePageAction(components, 'record', 'RefreshCw', page('resync')),
        activity: linkAction('record', 'Activity', (record) => `/admin/resources/SyncActivity?filters.scimSettingId=${encodeURIComponent(String(record?.id))}`),
        setupHelp: linkAction('resource', 'HelpCircle', () => '/admin/pages/setupHelp'),
        // Deleting a setting would orphan its users' SCIM state; disable it instead.
        delete: hidden,
        bulkDelete: hidden,
      },
    },
  };
}
