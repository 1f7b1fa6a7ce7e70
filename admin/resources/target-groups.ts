import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import type { AdminContext } from '../context';
import { projectionDue } from '../../src/store/projection-due';
import { targetGroups } from '../../src/store/target-groups';
import { wakeProjection } from '../../src/store/outbox';
import { nameKey } from '../../src/models/target-group';
import type { ActionContext, ActionRequest, ActionResponse, AdminJSModules, RecordJSON, ResourceWithOptions } from '../adminjs/esm';
import type { ScopedResourceClass } from '../adminjs/scoped-resource';
import { companyScope } from '../auth/console-admin';
import { consoleAdmin, NAVIGATION, recordPageAction, withComputed } from './common';

const isManual = (context: ActionContext) => context.record?.params.source === 'manual';

/** Membership lives on target users (groupIds), so counts are counted there. */
async function addMemberCounts(models: Models, records: RecordJSON[]): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      record.params.memberCount = await models.TargetUser.countDocuments({ groupIds: new Types.ObjectId(String(record.id)) });
    }),
  );
}

/**
 * Target groups: manual ones are made and renamed here; group-by and IdP groups belong to
 * their SCIM setting's projection and are read-only. "Members" opens the target users list
 * filtered by the group.
 */
export function targetGroupResource(m: AdminJSModules, ctx: AdminContext, Scoped: ScopedResourceClass): ResourceWithOptions {
  const { models } = ctx;
  const { ValidationError } = m.adminjs;
  const counts = withComputed((records) => addMemberCounts(models, records));

  /** Manual groups share the `name:` key with group-by groups, so group by reuses a manual group of the same name. */
  async function manualGroupPayload(request: ActionRequest, context: ActionContext) {
    if (request.method !== 'post' || !request.payload) return request;
    const name = typeof request.payload.name === 'string' ? request.payload.name.trim() : '';
    if (name === '') throw new ValidationError({ name: { message: 'Enter a name for the target group.' } });
    const named = String(context.record?.params.companyId ?? request.payload.companyId ?? '');
    const companyId = companyScope(consoleAdmin(context)) ?? (Types.ObjectId.isValid(named) ? new Types.ObjectId(named) : null);
    if (!companyId) throw new ValidationError({ companyId: { message: 'Choose the company.' } });
    const clash = await models.TargetGroup.findOne({ companyId, key: nameKey(name) }, { _id: 1 }).lean();
    if (clash && clash._id.toHexString() !== context.record?.id()) throw new ValidationError({ name: { message: 'This company already has a target group with this name.' } });
    const { scimSettingId: _s, scimGroupId: _g, ...payload } = request.payload;
    return { ...request, payload: { ...payload, name, key: nameKey(name), source: 'manual' } };
  }

  async function refuseIfTarget(request: ActionRequest) {
    const usedBy = await models.ScimSetting.findOne({ targetGroupId: request.params.recordId }, { name: 1 }).lean();
    if (usedBy) throw new ValidationError({}, { message: `SCIM setting "${usedBy.name}" synchronises users to this group. Choose another group there first.`, type: 'error' });
    return request;
  }

  /**
   * Only once the group is really gone (a delete refused by a before-hook or the adapter leaves
   * its members alone): its members' projections run again, which drops the group. The console
   * never writes target users itself: their setting's projection is their one writer.
   */
  async function dropMemberships(response: ActionResponse) {
    const record = response.record as RecordJSON | undefined;
    if (!record?.id || !Types.ObjectId.isValid(String(record.id))) return response;
    const groupId = new Types.ObjectId(String(record.id));
    if (await models.TargetGroup.exists({ _id: groupId })) return response;
    const companyId = new Types.ObjectId(String(record.params.companyId));
    for (const { tenant, scimUserIds } of await targetGroups.membersBySetting(models, companyId, groupId)) {
      const works = scimUserIds.map((resourceId) => ({ kind: 'User' as const, resourceId, version: 0, operation: 'group' }));
      await projectionDue.recordMany(models, tenant, works, `deleted-${groupId.toHexString()}`);
      await wakeProjection(ctx.producer, ctx.logger, tenant);
    }
    return response;
  }

  return {
    resource: new Scoped(models.TargetGroup as never, { scopeField: 'companyId' }),
    options: {
      navigation: NAVIGATION.targetUsers,
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'source', 'memberCount', 'scimSettingId', 'createdAt'],
      showProperties: ['name', 'source', 'memberCount', 'scimSettingId', 'scimGroupId', 'companyId', 'createdAt', 'updatedAt'],
      editProperties: ['name', 'companyId'],
      filterProperties: ['name', 'source', 'scimSettingId', 'companyId'],
      properties: {
        key: { isVisible: false },
        memberCount: { type: 'number', isVisible: { list: true, show: true, edit: false, filter: false } },
        companyId: { description: 'Set automatically for company admins.' },
        source: { availableValues: [
          { value: 'manual', label: 'Manual' },
          { value: 'groupBy', label: 'Group by' },
          { value: 'idp', label: 'Identity provider' },
        ] },
      },
      actions: {
        list: { after: counts },
        show: { after: counts },
        new: { before: manualGroupPayload },
        edit: { isAccessible: isManual, before: manualGroupPayload },
        delete: { isAccessible: isManual, before: refuseIfTarget, after: dropMemberships, guard: 'Delete this target group? Its members stay as target users.' },
        bulkDelete: { isAccessible: false, isVisible: false },
        members: recordPageAction('Users', (id) => `/admin/resources/TargetUser?filters.groupIds=${id}`),
      },
    },
  };
}
