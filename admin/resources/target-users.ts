import type { Models } from '../../src/models';
import type { ResourceOptions, ResourceWithOptions } from '../adminjs/esm';
import { exportAction } from '../target-users/export';
import { personActions } from '../target-users/person-actions';
import { addReadableValues } from '../target-users/readable-values';
import { scimExclusionActions } from '../target-users/scim-exclusion';
import { companyField, linkAction, NAVIGATION, READ_ONLY_ACTIONS, withComputed, type ResourceSetup } from './common';
import { customFieldValueCondition, groupCondition, scimSettingCondition, scimUserCondition, searchCondition, sourceCondition } from './target-user-filters';

const computed = (where: { list?: boolean; show?: boolean }) => ({ type: 'string' as const, isVisible: { list: false, show: false, edit: false, filter: false, ...where } });

const filterOnly = { list: false, show: false, edit: false, filter: true };

/**
 * The options both views of target users share: searchable and filterable; in the list of all
 * target users, people are added, edited (a SCIM-managed person's manual groups only) and deleted
 * (those no SCIM setting sends only), excluded from SCIM management and managed by it again, and
 * exported.
 */
function targetUserOptions(setup: ResourceSetup, view: 'all' | 'people'): ResourceOptions {
  const { m, models, components, audience } = setup;
  const values = withComputed((records) => addReadableValues(m, models, records));
  const groupsColumn = view === 'all' ? ['groupNames'] : [];
  const personField = { components: { edit: components.PersonField } };
  return {
    navigation: NAVIGATION.targetUsers,
    sort: { sortBy: 'email', direction: 'asc' },
    titleProperty: 'email',
    listProperties: ['email', 'fullName', 'department', 'customFieldValues', ...groupsColumn, 'manager', 'sourceNames', 'status', ...companyField(audience)],
    showProperties: [
      'email', 'userName', 'firstName', 'lastName', 'department', 'title', 'phoneNumber', 'manager', 'customFieldValues', 'groupNames', 'manualGroupNames', 'status',
      'scimManagement', 'managedBy', 'sourceLines', ...companyField(audience), 'sync.lastSyncedAt', 'createdAt',
    ],
    editProperties: [...companyField(audience), 'email', 'firstName', 'lastName', 'department', 'title', 'phoneNumber', 'customFieldInputs', 'manualGroupIds'],
    filterProperties: ['search', 'status', 'source', ...(view === 'all' ? ['group'] : []), 'customFieldValue', 'department', ...companyField(audience)],
    properties: {
      customFields: { isVisible: false },
      email: { ...personField, isRequired: true },
      firstName: personField,
      lastName: personField,
      department: personField,
      title: personField,
      phoneNumber: personField,
      fullName: computed({ list: true }),
      customFieldValues: computed({ list: true, show: true }),
      groupNames: computed({ list: true, show: true }),
      manualGroupNames: computed({ show: true }),
      sourceNames: computed({ list: true }),
      managedBy: computed({ show: true }),
      scimManagement: computed({ show: true }),
      // Shown in words (scimManagement, and "Excluded from SCIM" among the sources), not as its stored parts.
      scimExclusion: { isVisible: false },
      sourceLines: { ...computed({ show: true }), components: { show: components.PersonSources } },
      manager: { components: { list: components.ManagerLink, show: components.ManagerLink } },
      customFieldInputs: { type: 'string', isVisible: { list: false, show: false, edit: true, filter: false }, components: { edit: components.CustomFieldInputs } },
      manualGroupIds: { isVisible: { list: false, show: false, edit: true, filter: false }, components: { edit: components.ManualGroups } },
      companyId: { description: 'The company the target user belongs to.' },
      search: { type: 'string', isVisible: filterOnly, description: 'E-mail, user name, first or last name' },
      source: { type: 'string', isVisible: filterOnly, components: { filter: components.SourceFilter } },
      // AdminJS offers no filter on an array of references (groupIds); this one picks a group by name.
      group: { type: 'reference', reference: 'TargetGroup', isVisible: filterOnly },
      customFieldValue: { type: 'string', isVisible: filterOnly, description: 'A value, or "Field: value" for one custom field, e.g. Office: Berlin' },
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
      ...(view === 'all' ? { ...personActions(setup), ...scimExclusionActions(setup, values), export: exportAction(setup) } : {}),
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

/**
 * `scimSettingId` and `scimUserId` (the links from a setting's page and its sync activity) find
 * people by their sources, not by the source whose fields they show.
 */
const virtualFilters = (models: Models) => ({
  search: searchCondition,
  customFieldValue: customFieldValueCondition(models),
  group: groupCondition,
  source: sourceCondition,
  scimSettingId: scimSettingCondition,
  scimUserId: scimUserCondition,
});

/** Every target user: the people SCIM settings send and those admins add here. */
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
