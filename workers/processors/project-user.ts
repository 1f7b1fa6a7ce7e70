import { Types } from 'mongoose';
import type { JobPayload } from '../../src/queue/contracts';
import type { ScimUserResourceDoc } from '../../src/models/scim-user-resource';
import type { TargetUserStatus } from '../../src/models/target-user';
import { isDuplicateKey } from '../../src/store/mongo-errors';
import { changedFields, decideGroups, mapScimUser, type MappedTargetUser } from '../../src/mapping';
import type { ProjectionOutcome, WorkerContext } from '../context';
import { loadSettingRules, type SettingRules } from './setting-rules';
import { ensureGroupByGroup } from './target-groups';

/** Lost optimistic-concurrency races before a job gives up and lets BullMQ retry it. */
const MAX_RACES = 25;

type Payload = JobPayload<'projection', 'project-user'>;

const MAPPED_FIELDS = ['userName', 'externalId', 'email', 'firstName', 'lastName', 'department', 'phoneNumber', 'title', 'manager', 'customFields'] as const;

function statusOf(resource: ScimUserResourceDoc, user: MappedTargetUser, rules: SettingRules): TargetUserStatus {
  if (resource.deleted) return rules.deletePolicy === 'deactivate' ? 'inactive' : 'deleted';
  return user.active ? 'active' : 'inactive';
}

async function groupsFor(ctx: WorkerContext, rules: SettingRules, resource: ScimUserResourceDoc, user: MappedTargetUser, status: TargetUserStatus) {
  const decision = decideGroups({
    criteria: rules.groupingCriteria,
    chosenTargetGroup: rules.targetGroupId !== null,
    groupByCustomFieldKey: rules.groupByCustomFieldKey,
    user,
    status,
  });
  const ids: Types.ObjectId[] = [];
  if (decision.chosenGroup && rules.targetGroupId) ids.push(rules.targetGroupId);
  if (decision.groupByName) ids.push(await ensureGroupByGroup(ctx.models, rules.companyId, rules.scimSettingId, decision.groupByName));
  if (rules.groupingCriteria === 'idpGroups' && status !== 'deleted') {
    const mirrored = await ctx.models.ScimGroupResource.collection
      .find({ scimSettingId: rules.scimSettingId, 'members.value': resource._id, deleted: false }, { projection: { targetGroupId: 1 } })
      .toArray();
    ids.push(...mirrored.map((g) => g.targetGroupId as Types.ObjectId));
  }
  const unique = new Map(ids.map((id) => [id.toHexString(), id]));
  return [...unique.values()];
}

/**
 * Makes the target user show the latest state of its SCIM User under its setting's current
 * rules. Reads everything afresh and writes only if the target user is unchanged since the
 * read (`sync.rev`), so concurrent or repeated jobs converge on the latest state: a stale
 * or duplicate job has no second effect.
 */
export async function projectUser(ctx: WorkerContext, payload: Payload): Promise<ProjectionOutcome> {
  const scimSettingId = new Types.ObjectId(payload.scimSettingId);
  const resources = ctx.models.ScimUserResource.collection;
  const targets = ctx.models.TargetUser.collection;

  for (let race = 0; race < MAX_RACES; race += 1) {
    const resource = (await resources.findOne({ _id: payload.resourceId as never, scimSettingId })) as ScimUserResourceDoc | null;
    // The tombstone is gone only after its deletion was projected.
    if (!resource) return { outcome: 'skipped' };
    const rules = await loadSettingRules(ctx.models, scimSettingId);
    if (!rules) return { outcome: 'skipped' };

    const existing = await targets.findOne({ scimSettingId, scimUserId: resource._id });
    const sync = existing?.sync as { version: number; rulesVersion: number; rev: number } | undefined;
    if (sync && sync.version >= resource.version && sync.rulesVersion >= rules.rulesVersion) {
      await markProjected(ctx, resource);
      return { outcome: 'skipped' };
    }

    const user = mapScimUser(JSON.parse(resource.data), rules.fieldMappings);
    const status = statusOf(resource, user, rules);

    if (resource.deleted && rules.deletePolicy === 'remove') {
      if (existing) {
        const removed = await targets.deleteOne({ _id: existing._id, 'sync.rev': sync?.rev ?? 0 });
        if (removed.deletedCount === 0) continue;
      }
      await markProjected(ctx, resource);
      return { outcome: 'applied', changes: ['removed'] };
    }

    const groupIds = status === 'deleted' ? [] : await groupsFor(ctx, rules, resource, user, status);
    const fields = {
      ...Object.fromEntries(MAPPED_FIELDS.map((f) => [f, user[f]])),
      status,
      groupIds,
    };
    const now = new Date();
    const syncFields = { version: resource.version, rulesVersion: rules.rulesVersion, lastSyncedAt: now };
    const before = existing ? (Object.fromEntries(MAPPED_FIELDS.map((f) => [f, existing[f]])) as unknown as MappedTargetUser) : null;
    const changes = changedFields(before, user);
    if (existing && existing.status !== status) changes.push('status');
    if (existing && !sameIds(existing.groupIds as Types.ObjectId[], groupIds)) changes.push('groups');

    if (!existing) {
      try {
        await targets.insertOne({
          companyId: rules.companyId,
          scimSettingId,
          scimUserId: resource._id,
          ...fields,
          sync: { ...syncFields, rev: 1 },
          createdAt: now,
          updatedAt: now,
        } as never);
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
    } else {
      const updated = await targets.updateOne(
        { _id: existing._id, 'sync.rev': sync?.rev ?? 0 },
        {
          $set: { ...fields, 'sync.version': syncFields.version, 'sync.rulesVersion': syncFields.rulesVersion, 'sync.lastSyncedAt': now, updatedAt: now },
          $inc: { 'sync.rev': 1 },
        },
      );
      if (updated.matchedCount === 0) continue;
    }
    await markProjected(ctx, resource);
    return { outcome: changes.length || !existing ? 'applied' : 'unchanged', changes: existing ? changes : ['created'] };
  }
  throw new Error(`target user for SCIM user ${payload.resourceId} kept changing; retrying`);
}

function sameIds(a: Types.ObjectId[] | undefined, b: Types.ObjectId[]): boolean {
  const left = new Set((a ?? []).map((id) => id.toHexString()));
  return left.size === b.length && b.every((id) => left.has(id.toHexString()));
}

/** Clears the outbox flag only if no newer write arrived meanwhile; removes a projected tombstone. */
async function markProjected(ctx: WorkerContext, resource: ScimUserResourceDoc): Promise<void> {
  const resources = ctx.models.ScimUserResource.collection;
  if (resource.deleted) await resources.deleteOne({ _id: resource._id as never, version: resource.version, deleted: true });
  else await resources.updateOne({ _id: resource._id as never, version: resource.version }, { $set: { projectionPending: false } });
}
