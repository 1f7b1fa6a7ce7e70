import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import type { RecordJSON, ResourceOptions, ResourceWithOptions } from '../adminjs/esm';
import { companyField, linkAction, NAVIGATION, READ_ONLY_ACTIONS, withComputed, type ResourceSetup } from './common';
import { presentTargetGroups } from './target-group-names';
import { customFieldValueCondition, groupCondition, searchCondition } from './target-user-filters';

const CUSTOM = 'customFields.';

const GROUP = /^groupIds\.\d+$/;

/**
 * Custom field values under their names ("Office: Berlin"), the name as one line and the groups
 * by name: AdminJS would print a map as nothing and an array of references as "Length: 2".
 */
async function addReadableValues(models: Models, records: RecordJSON[]): Promise<void> {
  const companyIds = [...new Set(records.map((r) => String(r.params.companyId)))].filter((id) => Types.ObjectId.isValid(id));
  const groupIds = [...new Set(records.flatMap((r) => Object.entries(r.params).filter(([path]) => GROUP.test(path)).map(([, id]) => String(id))))];
  const [fields, groups] = await Promise.all([
    models.CustomField.find({ companyId: { $in: companyIds } }, { companyId: 1, key: 1, name: 1 }).lean(),
    models.TargetGroup.find({ _id: { $in: groupIds.filter((id) => Types.ObjectId.isValid(id)) } }, { name: 1, source: 1, companyId: 1, scimSettingId: 1 }).lean(),
  ]);
  const named = groups.map((g) => ({ ...g, _id: g._id.toHexString(), companyId: g.companyId.toHexString(), scimSettingId: g.scimSettingId?.toHexString() ?? null }) as Record<string, unknown>);
  await presentTargetGroups(models, named);
  const nameOf = new Map(fields.map((f) => [`${f.companyId.toHexString()}:${f.key}`, f.name]));
  const groupName = new Map(named.map((g) => [String(g._id), String(g.displayName)]));
  for (const record of records) {
    record.params.fullName = [record.params.firstName, record.params.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
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

const computed = (where: { list?: boolean; show?: boolean }) => ({ type: 'string' as const, isVisible: { list: false, show: false, edit: false, filter: false, ...where } });

/** The options both views of target users share: searchable and filterable, never edited here. */
function targetUserOptions({ models, components, audience }: ResourceSetup, view: 'all' | 'people'): ResourceOptions {
  const values = withComputed((records) => addReadableValues(models, records));
  const groupsColumn = view === 'all' ? ['groupNames'] : [];
  return {
    navigation: NAVIGATION.targetUsers,
    sort: { sortBy: 'email', direction: 'asc' },
    titleProperty: 'email',
    listProperties: ['email', 'fullName', 'department', 'customFieldValues', ...groupsColumn, 'status', ...companyField(audience)],
    showProperties: [
      'email', 'userName', 'firstName', 'lastName', 'department', 'title', 'phoneNumber', 'manager', 'customFieldValues', 'groupNames', 'status',
      'scimSettingId', 'externalId', 'scimUserId', ...companyField(audience), 'sync.lastSyncedAt', 'createdAt',
    ],
    filterProperties: ['search', 'status', ...(view === 'all' ? ['group'] : []), 'scimSettingId', 'customFieldValue', 'department', ...companyField(audience)],
    properties: {
      customFields: { isVisible: false },
      fullName: computed({ list: true }),
      customFieldValues: computed({ list: true, show: true }),
      groupNames: computed({ list: true, show: true }),
      search: { type: 'string', isVisible: { list: false, show: false, edit: false, filter: true }, description: 'E-mail, user name, first or last name' },
      // AdminJS offers no filter on an array of references (groupIds); this one picks a group by name.
      group: { type: 'reference', reference: 'TargetGroup', isVisible: { list: false, show: false, edit: false, filter: true } },
      customFieldValue: { type: 'string', isVisible: { list: false, show: false, edit: false, filter: true }, description: 'A value, or "Field: value" for one custom field, e.g. Office: Berlin' },
      status: {
        components: { list: components.Badge, show: components.Badge },
        custom: { variants: { active: 'success', inactive: 'default', deleted: 'danger' } },
        availableValues: [
          { value: 'active', label: 'Active' },
          { value: 'inactive', label: 'Inactive' },
          { value: 'deleted', label: 'Deleted' },
        ],
      },
    },
    actions: {
      ...READ_ONLY_ACTIONS,
      list: { after: values },
      show: { after: values },
      // The docs' "Target Users > Settings > Edit Fields": the company's custom fields.
      editFields: linkAction('resource', 'Columns', () => '/admin/resources/CustomField', { parent: 'Settings' }),
      ...(view === 'all'
        ? { people: linkAction('resource', 'User', () => '/admin/resources/People') }
        : { allTargetUsers: linkAction('resource', 'Users', () => '/admin/resources/TargetUser') }),
    },
  };
}

const virtualFilters = (models: Models) => ({ search: searchCondition, customFieldValue: customFieldValueCondition(models), group: groupCondition });

/** Every target user the workers projected. */
export function targetUserResource(setup: ResourceSetup): ResourceWithOptions {
  return {
    resource: new setup.Scoped(setup.models.TargetUser as never, { scopeField: 'companyId', virtualFilters: virtualFilters(setup.models) }),
    options: targetUserOptions(setup, 'all'),
  };
}

/**
 * The docs' "People" tab: synchronised users in no target group (a setting without a Group Name
 * and without group by puts its users here). Deleted users are in no group either, but are
 * not people to reach, so they are left out.
 */
export function peopleResource(setup: ResourceSetup): ResourceWithOptions {
  return {
    resource: new setup.Scoped(setup.models.TargetUser as never, {
      scopeField: 'companyId',
      id: 'People',
      condition: { groupIds: { $size: 0 }, status: { $ne: 'deleted' } },
      virtualFilters: virtualFilters(setup.models),
    }),
    options: targetUserOptions(setup, 'people'),
  };
}
