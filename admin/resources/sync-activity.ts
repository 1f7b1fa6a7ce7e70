import type { Models } from '../../src/models';
import { customFields } from '../../src/store/custom-fields';
import type { RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import { fieldLabel } from '../scim-settings/field-labels';
import { contains } from './text-search';
import { companyField, companyIdsOf, linkAction, NAVIGATION, READ_ONLY_ACTIONS, withComputed, type ResourceSetup } from './common';

type Params = Record<string, unknown>;

const ERROR_IN_LIST = 120;

/** Who a line is about: the name and e-mail the worker recorded, else the SCIM id. */
async function presentSubjects(records: Params[]): Promise<void> {
  for (const record of records) {
    const known = [record.displayName, record.email].filter((v) => typeof v === 'string' && v !== '');
    record.subject = known.length > 0 ? known.join(' · ') : String(record.resourceId ?? record.resourceType ?? '');
  }
}

/** What changed, in words ("E-mail, Office, Groups"), and the error cut to a line for the list. */
async function addReadableChanges(models: Models, records: RecordJSON[]): Promise<void> {
  const fields = await customFields.ofCompanies(models, companyIdsOf(records.map((r) => r.params)));
  const fieldName = new Map(fields.map((f) => [`${f.companyId.toHexString()}:${f.key}`, f.name]));
  for (const record of records) {
    const changes = Object.entries(record.params)
      .filter(([path]) => /^changes\.\d+$/.test(path))
      .map(([, name]) => String(name));
    record.params.changedFields = changes.map((name) => fieldLabel(name, (key) => fieldName.get(`${String(record.params.companyId)}:${key}`))).join(', ');
    const error = typeof record.params.error === 'string' ? record.params.error : '';
    record.params.errorSummary = error.length > ERROR_IN_LIST ? `${error.slice(0, ERROR_IN_LIST - 1)}…` : error;
  }
}

/** The sync log: one line per projection job or rejected request, newest first, never edited. */
export function syncActivityResource({ models, Scoped, components, audience }: ResourceSetup): ResourceWithOptions {
  const readable = withComputed((records) => addReadableChanges(models, records));
  const computed = (where: { list?: boolean; show?: boolean }) => ({ type: 'string' as const, isVisible: { list: false, show: false, edit: false, filter: false, ...where } });
  return {
    resource: new Scoped(models.SyncActivity as never, {
      scopeField: 'companyId',
      present: presentSubjects,
      virtualFilters: {
        subject: async (value) => ({ $or: ['email', 'displayName', 'resourceId'].map((path) => ({ [path]: contains(value) })) }),
      },
    }),
    options: {
      navigation: NAVIGATION.monitoring,
      sort: { sortBy: 'at', direction: 'desc' },
      titleProperty: 'subject',
      listProperties: ['at', 'subject', 'changedFields', 'outcome', 'errorSummary', 'scimSettingId', ...companyField(audience)],
      showProperties: ['at', 'subject', 'resourceType', 'resourceId', 'operation', 'version', 'outcome', 'changedFields', 'error', 'requestId', 'scimSettingId', ...companyField(audience)],
      filterProperties: ['scimSettingId', 'outcome', 'at', 'subject', 'resourceType', 'requestId', ...companyField(audience)],
      properties: {
        subject: { type: 'string', isVisible: { list: true, show: true, edit: false, filter: true }, description: 'E-mail, name or SCIM id' },
        changedFields: computed({ list: true, show: true }),
        errorSummary: computed({ list: true }),
        changes: { isVisible: false },
        // The X-Request-Id the IdP got back: support finds the line of a given call by it.
        requestId: { isVisible: { list: false, show: true, edit: false, filter: true } },
        outcome: {
          components: { list: components.Badge, show: components.Badge },
          custom: { variants: { applied: 'success', unchanged: 'default', skipped: 'default', failed: 'danger', rejected: 'secondary', conflict: 'info' } },
          availableValues: [
            { value: 'applied', label: 'Applied' },
            { value: 'unchanged', label: 'Unchanged' },
            { value: 'skipped', label: 'Skipped' },
            { value: 'failed', label: 'Failed' },
            { value: 'rejected', label: 'Rejected' },
            // Placed in part or not at all: its address belongs to another target user.
            { value: 'conflict', label: 'Conflict' },
          ],
        },
        resourceType: { availableValues: [
          { value: 'User', label: 'User' },
          { value: 'Group', label: 'Group' },
        ] },
      },
      actions: {
        ...READ_ONLY_ACTIONS,
        list: { after: readable },
        show: { after: readable },
        // The target user a line is about: found by its SCIM id in its setting (its own id is the store's business).
        targetUser: linkAction(
          'record',
          'User',
          (record) => `/admin/resources/TargetUser?filters.scimUserId=${encodeURIComponent(String(record?.params.resourceId))}&filters.scimSettingId=${encodeURIComponent(String(record?.params.scimSettingId))}`,
          { isVisible: (context) => context.record?.params.resourceType === 'User' && typeof context.record?.params.resourceId === 'string' },
        ),
      },
    },
  };
}
