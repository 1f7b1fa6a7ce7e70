import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import type { RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import type { ScopedResourceClass } from '../adminjs/scoped-resource';
import { NAVIGATION, READ_ONLY_ACTIONS, withComputed } from './common';

const CUSTOM = 'customFields.';

const GROUP = /^groupIds\.\d+$/;

/**
 * Custom field values under their names ("Office: Berlin") and group names, as one line each:
 * AdminJS would print a map as nothing and an array of references as "Length: 2".
 */
async function addReadableValues(models: Models, records: RecordJSON[]): Promise<void> {
  const companyIds = [...new Set(records.map((r) => String(r.params.companyId)))].filter((id) => Types.ObjectId.isValid(id));
  const groupIds = [...new Set(records.flatMap((r) => Object.entries(r.params).filter(([path]) => GROUP.test(path)).map(([, id]) => String(id))))];
  const [fields, groups] = await Promise.all([
    models.CustomField.find({ companyId: { $in: companyIds } }, { companyId: 1, key: 1, name: 1 }).lean(),
    models.TargetGroup.find({ _id: { $in: groupIds.filter((id) => Types.ObjectId.isValid(id)) } }, { name: 1 }).lean(),
  ]);
  const nameOf = new Map(fields.map((f) => [`${f.companyId.toHexString()}:${f.key}`, f.name]));
  const groupName = new Map(groups.map((g) => [g._id.toHexString(), g.name]));
  for (const record of records) {
    record.params.groupNames = Object.entries(record.params)
      .filter(([path]) => GROUP.test(path))
      .map(([, id]) => groupName.get(String(id)) ?? String(id))
      .join(', ');
    record.params.customFieldValues = Object.entries(record.params)
      .filter(([path, value]) => path.startsWith(CUSTOM) && value !== null && value !== '')
      .map(([path, value]) => `${nameOf.get(`${String(record.params.companyId)}:${path.slice(CUSTOM.length)}`) ?? path.slice(CUSTOM.length)}: ${String(value)}`)
      .join(' · ');
  }
}

/** Target users as the workers projected them: searchable and filterable, never edited here. */
export function targetUserResource(models: Models, Scoped: ScopedResourceClass): ResourceWithOptions {
  const values = withComputed((records) => addReadableValues(models, records));
  return {
    resource: new Scoped(models.TargetUser as never, { scopeField: 'companyId' }),
    options: {
      navigation: NAVIGATION.targetUsers,
      sort: { sortBy: 'updatedAt', direction: 'desc' },
      listProperties: ['email', 'firstName', 'lastName', 'department', 'customFieldValues', 'groupNames', 'status', 'sync.lastSyncedAt'],
      showProperties: [
        'email', 'userName', 'firstName', 'lastName', 'department', 'title', 'phoneNumber', 'manager', 'customFieldValues', 'groupIds', 'status',
        'scimSettingId', 'externalId', 'scimUserId', 'companyId', 'sync.lastSyncedAt', 'sync.version', 'sync.rulesVersion', 'createdAt',
      ],
      filterProperties: ['email', 'userName', 'firstName', 'lastName', 'department', 'status', 'groupIds', 'scimSettingId', 'companyId'],
      properties: {
        customFields: { isVisible: false },
        customFieldValues: { type: 'string', isVisible: { list: true, show: true, edit: false, filter: false } },
        groupNames: { type: 'string', isVisible: { list: true, show: false, edit: false, filter: false } },
      },
      actions: { ...READ_ONLY_ACTIONS, list: { after: values }, show: { after: values } },
    },
  };
}
