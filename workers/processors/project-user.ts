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
  const mirrored = await mirroredGroups(ctx, rules, resource, status);
  ids.push(...mirrored);
  const unique = new Map(ids.map((id) => [id.toHexString(), id]));
  return { groupIds: [...unique.values()], mirrored };
}

/** The target groups of the SCIM groups naming this user, when the setting mirrors IdP groups. */
async function mirroredGroups(ctx: WorkerContext, rules: SettingRules, resource: ScimUserResourceDoc, status: TargetUserStatus): Promise<Types.ObjectId[]> {
  if (rules.groupingCriteria !== 'idpGroups' || status === 'deleted') return [];
  const groups = await ctx.models.ScimGroupResource.collection
    .find({ scimSettingId: rules.scimSettingId, 'members.value': resource._id, deleted: false }, { projection: { targetGroupId: 1 } })
    .toArray();
  return groups.map((g) => g.targetGroupId as Types.ObjectId);
}

/**
 * Makes the target user show the latest state of its SCIM User under its setting's current
 * rules. Reads everything afresh and writes only if the target user is unchanged since the
 * read (`sync.rev`), so concurrent or repeated jobs converge on the latest state: a stale
 * or duplicate job has no second effect. The runtime runs one projection per user at a time
 * (projection-lock.ts), which FerretDB v1 needs: there the `sync.rev` filter is no
 * compare-and-set.
 */
export async function projectUser(ctx: WorkerContext, payload: Payload): Promise<ProjectionOutcome> {
  const scimSettingId = new Types.ObjectId(payload.scimSettingId);
  const resources = ctx.models.ScimUserResource.collection;
  const targets = ctx.models.TargetUser.collection;

  // Set when the mirrored groups changed while this job wrote: the version check must not stop the rewrite.
  let groupsMoved = false;
  for (let race = 0; race < MAX_RACES; race += 1) {
    const resource = (await resources.findOne({ _id: payload.resourceId as never, scimSettingId })) as ScimUserResourceDoc | null;
    // The tombstone is gone only after its deletion was projected.
    if (!resource) return { outcome: 'skipped' };
    const rules = await loadSettingRules(ctx.models, scimSettingId);
    if (!rules) return { outcome: 'skipped' };

    const existing = await targets.findOne({ scimSettingId, scimUserId: resource._id });
    const sync = existing?.sync as { version: number; rulesVersion: number; rev: number } | undefined;
    if (!groupsMoved && sync && sync.version >= resource.version && sync.rulesVersion >= rules.rulesVersion) {
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

    const { groupIds, mirrored } = status === 'deleted' ? { groupIds: [], mirrored: [] } : await groupsFor(ctx, rules, resource, user, status);
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
    // A group projection that ran while this one computed may have missed this target user (not
    // inserted yet) or been overwritten by this write (FerretDB v1 has no compare-and-set): if
    // the user's SCIM groups changed since they were read, write again.
    if (!sameIds(mirrored, await mirroredGroups(ctx, rules, resource, status))) {
      groupsMoved = true;
      continue;
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

/**
 * Removes a tombstone once its deletion is projected (nothing else writes a tombstone). A
 * live SCIM user is never written here: the intake owns it, and on FerretDB v1 an update
 * from here could undo an IdP write landing at the same moment; the reconciler reads the
 * target user's `sync.version` to know what was projected.
 */
async function markProjected(ctx: WorkerContext, resource: ScimUserResourceDoc): Promise<void> {
  if (!resource.deleted) return;
  await ctx.models.ScimUserResource.collection.deleteOne({ _id: resource._id as never, version: resource.version, deleted: true });
}
