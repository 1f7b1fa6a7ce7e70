import { Types } from 'mongoose';
import { nameKey } from '../../src/models/target-group';
import { projectionDue } from '../../src/store/projection-due';
import { scimSettings } from '../../src/store/scim-settings';
import { targetGroups } from '../../src/store/target-groups';
import { targetUserEdits } from '../../src/store/target-user-edits';
import { targetUserReads } from '../../src/store/target-user-reads';
import { wakeProjection } from '../../src/store/outbox';
import type { ActionContext, ActionRequest, ActionResponse, RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import { companyScope } from '../auth/console-admin';
import { companyField, companyIdsOf, consoleAdmin, linkAction, NAVIGATION, withComputed, type ResourceSetup } from './common';
import { presentTargetGroups, sourceOf } from './target-group-names';
import { contains } from './text-search';

const isManual = (context: ActionContext) => context.record?.params.source === 'manual';

/**
 * Target groups: manual ones are made and renamed here; group-by and IdP groups belong to
 * their SCIM setting's projection and are read-only. A group's page lists its members.
 */
export function targetGroupResource({ m, models, producer, logger, Scoped, components, audience }: ResourceSetup): ResourceWithOptions {
  const { ValidationError } = m.adminjs;

  /** What made each group, and which SCIM settings chose it as their Group Name. */
  const sources = withComputed(async (records: RecordJSON[]) => {
    const ids = records.map((r) => new Types.ObjectId(String(r.id)));
    const chosenBy = await scimSettings.choosingGroups(models, companyIdsOf(records.map((r) => r.params)), ids);
    for (const record of records) {
      const source = sourceOf(record.params, chosenBy.filter((s) => s.targetGroupId?.toHexString() === record.id).map((s) => s.name));
      record.params.sourceKind = source.kind;
      record.params.sourceLabel = source.label;
    }
  });

  /** Membership lives on target users (groupIds), so counts are counted there. */
  const memberCounts = withComputed(async (records: RecordJSON[]) => {
    await Promise.all(
      records.map(async (record) => {
        record.params.memberCount = await targetUserReads.countMembers(models, new Types.ObjectId(String(record.params.companyId)), new Types.ObjectId(String(record.id)));
      }),
    );
  });

  /** Manual groups share the `name:` key with group-by groups, so group by reuses a manual group of the same name. */
  async function manualGroupPayload(request: ActionRequest, context: ActionContext) {
    if (request.method !== 'post' || !request.payload) return request;
    const name = typeof request.payload.name === 'string' ? request.payload.name.trim() : '';
    if (name === '') throw new ValidationError({ name: { message: 'Enter a name for the target group.' } });
    const named = String(context.record?.params.companyId ?? request.payload.companyId ?? '');
    const companyId = companyScope(consoleAdmin(context)) ?? (Types.ObjectId.isValid(named) ? new Types.ObjectId(named) : null);
    if (!companyId) throw new ValidationError({ companyId: { message: 'Choose the company.' } });
    const clash = await targetGroups.named(models, companyId, name);
    if (clash && clash._id.toHexString() !== context.record?.id()) throw new ValidationError({ name: { message: 'This company already has a target group with this name.' } });
    const { scimSettingId: _s, scimGroupId: _g, ...payload } = request.payload;
    return { ...request, payload: { ...payload, name, key: nameKey(name), source: 'manual' } };
  }

  /** The group's record, read within the admin's companies before the hook runs, names its company. */
  async function refuseIfTarget(request: ActionRequest, context: ActionContext) {
    if (!context.record) return request;
    const usedBy = await scimSettings.choosingGroup(models, new Types.ObjectId(String(context.record.params.companyId)), String(request.params.recordId));
    if (usedBy) throw new ValidationError({}, { message: `SCIM setting "${usedBy.name}" synchronises users to this group. Choose another group there first.`, type: 'error' });
    return request;
  }

  /**
   * Only once the group is really gone (a delete refused by a before-hook or the adapter leaves
   * its members alone): it leaves everyone's manual groups (under the company's lease, like every
   * console write to target users), and the projections of the members its settings' rules put
   * there run again, which drops it from their groups.
   */
  async function dropMemberships(response: ActionResponse) {
    const record = response.record as RecordJSON | undefined;
    if (!record?.id || !Types.ObjectId.isValid(String(record.id))) return response;
    const groupId = new Types.ObjectId(String(record.id));
    const companyId = new Types.ObjectId(String(record.params.companyId));
    if (await targetGroups.stillThere(models, companyId, groupId)) return response;
    await targetUserEdits.dropManualGroup(models, companyId, groupId);
    for (const { tenant, scimUserIds } of await targetGroups.membersBySetting(models, companyId, groupId)) {
      const works = scimUserIds.map((resourceId) => ({ kind: 'User' as const, resourceId, version: 0, operation: 'group', requestId: null }));
      await projectionDue.recordMany(models, tenant, works, `deleted-${groupId.toHexString()}`);
      await wakeProjection(producer, logger, tenant);
    }
    return response;
  }

  return {
    resource: new Scoped(models.TargetGroup as never, {
      scopeField: 'companyId',
      present: (records) => presentTargetGroups(models, records),
      // Reference filters search by the title, which is computed: it searches the name.
      virtualFilters: { displayName: async (value) => ({ name: contains(value) }) },
    }),
    options: {
      navigation: NAVIGATION.targetUsers,
      sort: { sortBy: 'name', direction: 'asc' },
      titleProperty: 'displayName',
      listProperties: ['displayName', 'sourceLabel', 'memberCount', ...companyField(audience), 'createdAt'],
      showProperties: ['name', 'sourceLabel', 'members', 'scimSettingId', 'scimGroupId', ...companyField(audience), 'createdAt', 'updatedAt'],
      editProperties: ['name', ...companyField(audience)],
      filterProperties: ['name', 'source', 'scimSettingId', ...companyField(audience)],
      properties: {
        key: { isVisible: false },
        displayName: { type: 'string', isVisible: { list: true, show: false, edit: false, filter: false } },
        memberCount: { type: 'number', isVisible: { list: true, show: false, edit: false, filter: false } },
        sourceLabel: {
          type: 'string',
          isVisible: { list: true, show: true, edit: false, filter: false },
          components: { list: components.Badge, show: components.Badge },
          custom: { kindPath: 'sourceKind', variants: { groupBy: 'info', idp: 'success', manual: 'default' } },
        },
        members: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: components.GroupMembers } },
        companyId: { description: 'Set automatically for company admins.' },
        source: { availableValues: [
          { value: 'manual', label: 'Manual' },
          { value: 'groupBy', label: 'Group by' },
          { value: 'idp', label: 'Mirrored from the identity provider' },
        ] },
      },
      actions: {
        list: { after: [sources, memberCounts] },
        show: { after: sources },
        new: { before: manualGroupPayload },
        edit: { isAccessible: isManual, before: manualGroupPayload },
        delete: { isAccessible: isManual, before: refuseIfTarget, after: dropMemberships, guard: 'Delete this target group? Its members stay as target users.' },
        bulkDelete: { isAccessible: false, isVisible: false },
        members: linkAction('record', 'Users', (record) => `/admin/resources/TargetUser?filters.group=${encodeURIComponent(String(record?.id))}`),
      },
    },
  };
}
