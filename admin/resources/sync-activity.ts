import type { Models } from '../../src/models';
import type { RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import type { ScopedResourceClass } from '../adminjs/scoped-resource';
import { NAVIGATION, READ_ONLY_ACTIONS, withComputed } from './common';

/** AdminJS prints a string array in a list as "Length: n"; the field names read better. */
const changedFields = withComputed(async (records: RecordJSON[]) => {
  for (const record of records) {
    record.params.changedFields = Object.entries(record.params)
      .filter(([path]) => /^changes\.\d+$/.test(path))
      .map(([, name]) => String(name))
      .join(', ');
  }
});

/** The sync log: one line per projection job or rejected request, newest first, never edited. */
export function syncActivityResource(models: Models, Scoped: ScopedResourceClass): ResourceWithOptions {
  return {
    resource: new Scoped(models.SyncActivity as never, { scopeField: 'companyId' }),
    options: {
      navigation: NAVIGATION.monitoring,
      sort: { sortBy: 'at', direction: 'desc' },
      listProperties: ['at', 'operation', 'resourceType', 'outcome', 'changedFields', 'error', 'scimSettingId'],
      showProperties: ['at', 'operation', 'resourceType', 'resourceId', 'version', 'outcome', 'changes', 'error', 'scimSettingId', 'companyId'],
      filterProperties: ['scimSettingId', 'outcome', 'resourceType', 'resourceId', 'at', 'companyId'],
      properties: { changedFields: { type: 'string', isVisible: { list: true, show: false, edit: false, filter: false } } },
      actions: { ...READ_ONLY_ACTIONS, list: { after: changedFields } },
    },
  };
}
