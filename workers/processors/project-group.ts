import { Types } from 'mongoose';
import type { JobPayload } from '../../src/queue/contracts';
import { idpKey } from '../../src/models/target-group';
import type { ScimGroupResourceDoc } from '../../src/models/scim-group-resource';
import { queueProjection } from '../../src/store/outbox';
import { targetGroupName } from '../../src/mapping';
import type { ProjectionOutcome, WorkerContext } from '../context';
import { loadSettingRules } from './setting-rules';
import { acquireGroupLease, releaseGroupLease } from './group-lease';

type Payload = JobPayload<'projection', 'project-group'>;

const BATCH = 5000;
const chunks = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));

/**
 * Mirrors a SCIM Group into its target group when the setting's grouping criteria is
 * "Synchronise groups with identity management platform": same name, exactly the same
 * members. Memberships are changed by difference, and every changed target user's `sync.rev`
 * is bumped, so a user projection that read the groups before this change retries.
 */
export async function projectGroup(ctx: WorkerContext, payload: Payload, owner: string): Promise<ProjectionOutcome> {
  const scimSettingId = new Types.ObjectId(payload.scimSettingId);
  const resources = ctx.models.ScimGroupResource.collection;
  const initial = await resources.findOne({ _id: payload.resourceId as never, scimSettingId }, { projection: { version: 1 } });
  if (!initial) return { outcome: 'skipped' };

  await acquireGroupLease(ctx.models, payload.resourceId, owner);
  try {
    const group = (await resources.findOne({ _id: payload.resourceId as never, scimSettingId })) as ScimGroupResourceDoc | null;
    if (!group) return { outcome: 'skipped' };
    const rules = await loadSettingRules(ctx.models, scimSettingId);
    const mirrored = rules?.groupingCriteria === 'idpGroups';
    const changes = mirrored && !group.deleted ? await mirror(ctx, group) : await unmirror(ctx, group);
    await markProjected(ctx, group);
    return { outcome: changes.length ? 'applied' : 'unchanged', changes };
  } finally {
    await releaseGroupLease(ctx.models, payload.resourceId, owner);
  }
}

async function mirror(ctx: WorkerContext, group: ScimGroupResourceDoc): Promise<string[]> {
  const targetGroups = ctx.models.TargetGroup.collection;
  const targets = ctx.models.TargetUser.collection;
  const changes: string[] = [];
  const name = targetGroupName(group.displayName) ?? group._id;
  const now = new Date();
  const before = await targetGroups.findOneAndUpdate(
    { _id: group.targetGroupId },
    {
      $set: { name, updatedAt: now },
      $setOnInsert: { companyId: group.companyId, key: idpKey(group.scimSettingId.toHexString(), group._id), source: 'idp', scimSettingId: group.scimSettingId, scimGroupId: group._id, createdAt: now },
    },
    { upsert: true, returnDocument: 'before' },
  );
  if (!before) changes.push('created');
  else if (before.name !== name) changes.push('name');

  const wanted = new Set(group.members.map((m) => m.value));
  const current = await targets
    .find({ scimSettingId: group.scimSettingId, groupIds: group.targetGroupId }, { projection: { scimUserId: 1 } })
    .toArray();
  const have = new Set(current.map((u) => u.scimUserId as string));
  const add = [...wanted].filter((id) => !have.has(id));
  const remove = [...have].filter((id) => !wanted.has(id));

  let added = 0;
  for (const ids of chunks(add)) {
    const result = await targets.updateMany(
      { scimSettingId: group.scimSettingId, scimUserId: { $in: ids }, status: { $ne: 'deleted' } },
      { $addToSet: { groupIds: group.targetGroupId }, $inc: { 'sync.rev': 1 } },
    );
    added += result.modifiedCount;
  }
  for (const ids of chunks(remove)) {
    await targets.updateMany({ scimSettingId: group.scimSettingId, scimUserId: { $in: ids } }, { $pull: { groupIds: group.targetGroupId } as never, $inc: { 'sync.rev': 1 } });
  }
  if (add.length || remove.length) changes.push('members');
  if (added < add.length) await projectNotYetProjected(ctx, group, add);
  return changes;
}

/**
 * Members whose target user does not exist yet (their create is still queued): their own
 * projection will read this group, but it may have read it before this change, so queue it again.
 */
async function projectNotYetProjected(ctx: WorkerContext, group: ScimGroupResourceDoc, ids: string[]): Promise<void> {
  for (const batch of chunks(ids)) {
    const existing = await ctx.models.TargetUser.collection
      .find({ scimSettingId: group.scimSettingId, scimUserId: { $in: batch } }, { projection: { scimUserId: 1 } })
      .toArray();
    const found = new Set(existing.map((u) => u.scimUserId as string));
    const missing = batch.filter((id) => !found.has(id));
    if (!missing.length) continue;
    const users = await ctx.models.ScimUserResource.collection
      .find({ _id: { $in: missing as never[] }, scimSettingId: group.scimSettingId }, { projection: { version: 1 } })
      .toArray();
    for (const user of users) {
      await queueProjection(ctx.producer, ctx.logger, 'User', group, String(user._id), user.version, 'reconcile');
    }
  }
}

/** A deleted group, or a setting that no longer mirrors: members leave, and a deleted group's target group goes. */
async function unmirror(ctx: WorkerContext, group: ScimGroupResourceDoc): Promise<string[]> {
  const result = await ctx.models.TargetUser.collection.updateMany(
    { scimSettingId: group.scimSettingId, groupIds: group.targetGroupId },
    { $pull: { groupIds: group.targetGroupId } as never, $inc: { 'sync.rev': 1 } },
  );
  const changes = result.modifiedCount ? ['members'] : [];
  if (group.deleted) {
    const removed = await ctx.models.TargetGroup.collection.deleteOne({ _id: group.targetGroupId, source: 'idp' });
    if (removed.deletedCount) changes.push('deleted');
  }
  return changes;
}

async function markProjected(ctx: WorkerContext, group: ScimGroupResourceDoc): Promise<void> {
  const resources = ctx.models.ScimGroupResource.collection;
  if (group.deleted) await resources.deleteOne({ _id: group._id as never, version: group.version, deleted: true });
  else await resources.updateOne({ _id: group._id as never, version: group.version }, { $set: { projectionPending: false } });
}
