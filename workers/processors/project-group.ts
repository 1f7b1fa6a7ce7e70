import { Types } from 'mongoose';
import type { JobPayload } from '../../src/queue/contracts';
import { idpKey } from '../../src/models/target-group';
import type { ScimGroupResourceDoc } from '../../src/models/scim-group-resource';
import { queueProjection } from '../../src/store/outbox';
import { withWriteLock, writeLockKey } from '../../src/store/write-lock';
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
 * members. Memberships are changed by difference, on target users this job holds the
 * projection locks of; the others are re-projected by jobs of their own.
 */
/** Runs `work` holding the projection locks of those of `ids` that are free now (see projection-lock.ts). */
export type UserLocks = <T>(ids: string[], work: (held: string[]) => Promise<T>) => Promise<T>;

export async function projectGroup(ctx: WorkerContext, payload: Payload, owner: string, lockUsers: UserLocks): Promise<ProjectionOutcome> {
  const scimSettingId = new Types.ObjectId(payload.scimSettingId);
  const resources = ctx.models.ScimGroupResource.collection;
  const initial = await resources.findOne({ _id: payload.resourceId as never, scimSettingId }, { projection: { version: 1 } });
  if (!initial) return { outcome: 'skipped' };

  await acquireGroupLease(ctx.models, payload.scimSettingId, owner);
  try {
    const group = (await resources.findOne({ _id: payload.resourceId as never, scimSettingId })) as ScimGroupResourceDoc | null;
    if (!group) return { outcome: 'skipped' };
    const rules = await loadSettingRules(ctx.models, scimSettingId);
    const mirrored = rules?.groupingCriteria === 'idpGroups';
    const changes = mirrored && !group.deleted ? await mirror(ctx, group, lockUsers) : await unmirror(ctx, group, lockUsers);
    await markProjected(ctx, group);
    return { outcome: changes.length ? 'applied' : 'unchanged', changes };
  } finally {
    await releaseGroupLease(ctx.models, payload.scimSettingId, owner);
  }
}

async function mirror(ctx: WorkerContext, group: ScimGroupResourceDoc, lockUsers: UserLocks): Promise<string[]> {
  const targetGroups = ctx.models.TargetGroup.collection;
  const targets = ctx.models.TargetUser.collection;
  const changes: string[] = [];
  const name = targetGroupName(group.displayName) ?? group._id;
  const existing = await targetGroups.findOne({ _id: group.targetGroupId }, { projection: { name: 1 } });
  const now = new Date();
  if (!existing) {
    await targetGroups.insertOne({
      _id: group.targetGroupId,
      companyId: group.companyId,
      name,
      key: idpKey(group.scimSettingId.toHexString(), group._id),
      source: 'idp',
      scimSettingId: group.scimSettingId,
      scimGroupId: group._id,
      createdAt: now,
      updatedAt: now,
    } as never);
    changes.push('created');
  } else if (existing.name !== name) {
    await targetGroups.updateOne({ _id: group.targetGroupId }, { $set: { name, updatedAt: now } });
    changes.push('name');
  }

  const wanted = new Set(group.members.map((m) => m.value));
  const current = await targets
    .find({ scimSettingId: group.scimSettingId, groupIds: group.targetGroupId }, { projection: { scimUserId: 1 } })
    .toArray();
  const have = new Set(current.map((u) => u.scimUserId as string));
  const add = [...wanted].filter((id) => !have.has(id));
  const remove = [...have].filter((id) => !wanted.has(id));

  await changeMembers(ctx, group, add, lockUsers, (ids) =>
    targets.updateMany(
      { scimSettingId: group.scimSettingId, scimUserId: { $in: ids }, status: { $ne: 'deleted' } },
      { $addToSet: { groupIds: group.targetGroupId }, $inc: { 'sync.rev': 1 } },
    ),
  );
  await changeMembers(ctx, group, remove, lockUsers, (ids) =>
    targets.updateMany({ scimSettingId: group.scimSettingId, scimUserId: { $in: ids } }, { $pull: { groupIds: group.targetGroupId } as never, $inc: { 'sync.rev': 1 } }),
  );
  if (add.length || remove.length) changes.push('members');
  return changes;
}

/**
 * Changes the target users it can lock at once, so no user projection writes them meanwhile
 * (FerretDB v1 applies an update as a read and a whole-document write). Users it cannot lock,
 * and members whose target user does not exist yet, get a projection of their own: it reads
 * their groups from the store, which already holds this change.
 */
async function changeMembers(
  ctx: WorkerContext,
  group: ScimGroupResourceDoc,
  ids: string[],
  lockUsers: UserLocks,
  update: (held: string[]) => Promise<unknown>,
): Promise<void> {
  for (const batch of chunks(ids)) {
    const later = await lockUsers(batch, async (held) => {
      const existing = await ctx.models.TargetUser.collection
        .find({ scimSettingId: group.scimSettingId, scimUserId: { $in: held } }, { projection: { scimUserId: 1 } })
        .toArray();
      const found = new Set(existing.map((u) => u.scimUserId as string));
      if (found.size) await update([...found]);
      return batch.filter((id) => !found.has(id));
    });
    await projectLater(ctx, group, later);
  }
}

async function projectLater(ctx: WorkerContext, group: ScimGroupResourceDoc, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const users = await ctx.models.ScimUserResource.collection
    .find({ _id: { $in: ids as never[] }, scimSettingId: group.scimSettingId }, { projection: { version: 1 } })
    .toArray();
  for (const user of users) {
    await queueProjection(ctx.producer, ctx.logger, 'User', group, String(user._id), user.version, 'reconcile', `g${group._id}-v${group.version}`);
  }
}

/** A deleted group, or a setting that no longer mirrors: members leave, and a deleted group's target group goes. */
async function unmirror(ctx: WorkerContext, group: ScimGroupResourceDoc, lockUsers: UserLocks): Promise<string[]> {
  const members = await ctx.models.TargetUser.collection
    .find({ scimSettingId: group.scimSettingId, groupIds: group.targetGroupId }, { projection: { scimUserId: 1 } })
    .toArray();
  await changeMembers(ctx, group, members.map((u) => u.scimUserId as string), lockUsers, (ids) =>
    ctx.models.TargetUser.collection.updateMany(
      { scimSettingId: group.scimSettingId, scimUserId: { $in: ids } },
      { $pull: { groupIds: group.targetGroupId } as never, $inc: { 'sync.rev': 1 } },
    ),
  );
  const changes = members.length ? ['members'] : [];
  if (group.deleted) {
    const removed = await ctx.models.TargetGroup.collection.deleteOne({ _id: group.targetGroupId, source: 'idp' });
    if (removed.deletedCount) changes.push('deleted');
  }
  return changes;
}

/** Under the group's write lock: on FerretDB an unlocked update could undo an intake write made meanwhile. */
async function markProjected(ctx: WorkerContext, group: ScimGroupResourceDoc): Promise<void> {
  const resources = ctx.models.ScimGroupResource.collection;
  await withWriteLock(ctx.models, writeLockKey('Group', group._id), async () => {
    if (group.deleted) await resources.deleteOne({ _id: group._id as never, version: group.version, deleted: true });
    else await resources.updateOne({ _id: group._id as never, version: group.version }, { $set: { projectionPending: false } });
  });
}
