import { targetGroupName } from '../../src/mapping';
import type { ProjectionRules } from '../../src/mapping/project-user';
import { projectionDue } from '../../src/store/projection-due';
import { targetGroups } from '../../src/store/target-groups';
import { leaveDeletedGroup } from '../../src/store/target-user-edits';
import { targetUsers } from '../../src/store/target-users';
import type { Tenant } from '../../src/store/tenant';
import type { AssertLockHeld } from '../../src/store/write-lock';
import type { WorkerContext } from '../context';
import { deletionFinished, finishedBy, operationLabel, resyncsOf, type DueResource } from './due-records';
import { emptyOutcome, type BatchOutcome } from './project-users';

/**
 * The SCIM groups of one batch. A mirrored group's target group is made, renamed or removed
 * here; its membership lives on the target users, so the users who join or leave become due
 * (one insertMany) and later batches re-project them: a user's groups always come from the
 * stored SCIM groups, whichever change put them there.
 */
export async function projectGroups(ctx: WorkerContext, tenant: Tenant, rules: ProjectionRules, dues: DueResource[], assertHeld: AssertLockHeld): Promise<BatchOutcome> {
  const outcome = emptyOutcome();
  const now = Date.now();
  const mirroring = rules.groupingCriteria === 'idpGroups';
  for (const due of dues) {
    const group = await ctx.groups.readForProjection(tenant, due.resourceId);
    if (!group) {
      const { done, waiting } = finishedBy(due, null, now);
      outcome.done.push(...done);
      outcome.waiting.push(...waiting);
      continue;
    }
    const { done, waiting, named } = finishedBy(due, group.version, now);
    const changes: string[] = [];
    assertHeld();
    if (mirroring && !group.deleted) {
      const changed = await targetGroups.mirror(ctx.models, tenant, { id: group._id, targetGroupId: group.targetGroupId, name: targetGroupName(group.displayName) ?? group._id });
      if (changed) changes.push(changed);
    }
    const wanted = new Set(mirroring && !group.deleted ? group.members.map((m) => m.value) : []);
    const current = new Set(await targetUsers.inGroup(ctx.models, tenant, group.targetGroupId));
    const moved = [...[...wanted].filter((id) => !current.has(id)), ...[...current].filter((id) => !wanted.has(id))];
    if (moved.length) {
      await projectionDue.recordMany(ctx.models, tenant, moved.map((resourceId) => ({ kind: 'User' as const, resourceId, version: 0, operation: 'group', requestId: named?.requestId ?? null })), `g${group._id}v${group.version}`);
      changes.push('members');
    }
    if (group.deleted) {
      if (await targetGroups.removeMirror(ctx.models, tenant, group.targetGroupId)) changes.push('deleted');
      // Its members' projections drop it, but not of members excluded from SCIM management; a replay does this again.
      await leaveDeletedGroup(ctx.models, tenant.companyId, group.targetGroupId, assertHeld);
      if (deletionFinished(done, group.version)) await ctx.groups.removeTombstone(tenant, group._id, group.version);
    }
    outcome.done.push(...done);
    outcome.waiting.push(...waiting);
    if (changes.length) outcome.applied += 1;
    else outcome.unchanged += 1;
    if (!named) continue;
    outcome.activity.push({
      id: named._id,
      operation: operationLabel(named, 'Group'),
      resourceType: 'Group',
      resourceId: due.resourceId,
      version: group.version,
      outcome: changes.length ? 'applied' : 'unchanged',
      changes,
      error: null,
      displayName: group.displayName,
      requestId: named.requestId,
      resyncs: resyncsOf(done),
    });
  }
  return outcome;
}
