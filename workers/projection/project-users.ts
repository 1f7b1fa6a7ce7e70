import type { ProjectionDueDoc } from '../../src/models/projection-due';
import type { ScimUserResourceDoc } from '../../src/models/scim-user-resource';
import { mapUser, planUser, type MappedUser, type ProjectionRules } from '../../src/mapping/project-user';
import { isDatabaseUnavailable } from '../../src/db/unavailable';
import type { SyncActivityEntry } from '../../src/store/sync-activity';
import { targetUsers, type StoredTargetUser, type TargetUserWrite } from '../../src/store/target-users';
import { targetGroups } from '../../src/store/target-groups';
import type { Tenant } from '../../src/store/tenant';
import type { AssertLockHeld } from '../../src/store/write-lock';
import type { WorkerContext } from '../context';
import { deletionFinished, finishedBy, operationLabel, resyncsOf, type DueResource } from './due-records';

/** What a part of a batch decided about its due records; the batch applies it once everything is written. */
export interface BatchOutcome {
  done: ProjectionDueDoc[];
  waiting: ProjectionDueDoc[];
  failed: Array<{ records: ProjectionDueDoc[]; error: string }>;
  activity: SyncActivityEntry[];
  applied: number;
  unchanged: number;
}

export const emptyOutcome = (): BatchOutcome => ({ done: [], waiting: [], failed: [], activity: [], applied: 0, unchanged: 0 });

interface Planned {
  due: DueResource;
  resource: ScimUserResourceDoc;
  mapped: MappedUser;
  existing: StoredTargetUser | null;
}

const nameOf = (mapped: MappedUser) => [mapped.user.firstName, mapped.user.lastName].filter(Boolean).join(' ') || mapped.user.userName;

/**
 * The users of one batch: one read each for SCIM users and target users (by `_id`), one for the
 * setting's mirrored groups, one for group-by groups; the pure mapping and group-by engine in
 * memory; then the target users in as few writes as the server takes. A user whose mapping or
 * write fails is reported as failed; the others commit.
 */
export async function projectUsers(
  ctx: WorkerContext,
  tenant: Tenant,
  rules: ProjectionRules,
  dues: DueResource[],
  assertHeld: AssertLockHeld,
  /** Marks the end of a step, for the batch's timing log. */
  step: (name: string) => void = () => undefined,
): Promise<BatchOutcome> {
  const outcome = emptyOutcome();
  if (dues.length === 0) return outcome;
  const now = Date.now();
  const ids = dues.map((d) => d.resourceId);
  const [resources, existing, mirrored] = await Promise.all([
    ctx.users.readForProjection(tenant, ids),
    targetUsers.readMany(ctx.models, tenant, ids),
    rules.groupingCriteria === 'idpGroups' ? ctx.groups.targetGroupsByMember(tenant) : Promise.resolve(new Map<string, string[]>()),
  ]);

  step('read');
  const planned: Planned[] = [];
  for (const due of dues) {
    const resource = resources.get(due.resourceId);
    if (!resource) {
      // Gone once its deletion was projected, and the target user (when the policy keeps one) holds
      // that last version: a replay after a crash is finished by it. Otherwise the write has not landed yet.
      const { done, waiting } = finishedBy(due, existing.get(due.resourceId)?.sync.version ?? null, now);
      outcome.done.push(...done);
      outcome.waiting.push(...waiting);
      continue;
    }
    try {
      planned.push({ due, resource, mapped: mapUser(rules, resource), existing: existing.get(due.resourceId) ?? null });
    } catch (err) {
      outcome.failed.push({ records: due.records, error: (err as Error).message });
      outcome.activity.push(failure(due, (err as Error).message, resource.userName));
    }
  }

  const groupByIds = await targetGroups.ensureByName(ctx.models, tenant, planned.flatMap((p) => (p.mapped.decision.groupByName ? [p.mapped.decision.groupByName] : [])));
  const writes = { created: [] as TargetUserWrite[], changed: [] as TargetUserWrite[], removed: [] as string[] };
  const results: Array<{ p: Planned; changes: string[] | null }> = [];
  for (const p of planned) {
    const plan = planUser({
      rules,
      resource: p.resource,
      mapped: p.mapped,
      existing: p.existing,
      mirroredGroupIds: mirrored.get(p.due.resourceId) ?? [],
      groupByGroupId: p.mapped.decision.groupByName ? (groupByIds.get(p.mapped.decision.groupByName) ?? null) : null,
    });
    const write = (view: TargetUserWrite['view']): TargetUserWrite => ({ scimUserId: p.due.resourceId, view, version: p.resource.version, rulesVersion: rules.rulesVersion, createdAt: p.existing?.createdAt ?? null });
    if (plan.action === 'write') (plan.created ? writes.created : writes.changed).push(write(plan.view));
    if (plan.action === 'remove') writes.removed.push(p.due.resourceId);
    results.push({ p, changes: plan.action === 'write' ? plan.changes : plan.action === 'remove' ? ['removed'] : null });
  }

  step('plan');
  assertHeld();
  const writeFailures = await writeTargetUsers(ctx, tenant, writes);
  step('write');
  for (const { p, changes } of results) {
    const error = writeFailures.get(p.due.resourceId);
    if (error !== undefined) {
      outcome.failed.push({ records: p.due.records, error });
      outcome.activity.push(failure(p.due, error, p.mapped.user.userName, p.mapped));
      continue;
    }
    const { done, waiting, named } = finishedBy(p.due, p.resource.version, now);
    if (p.resource.deleted && deletionFinished(done, p.resource.version)) await ctx.users.removeTombstone(tenant, p.resource._id, p.resource.version);
    outcome.done.push(...done);
    outcome.waiting.push(...waiting);
    if (changes) outcome.applied += 1;
    else outcome.unchanged += 1;
    if (!named) continue;
    outcome.activity.push({
      id: named._id,
      operation: operationLabel(named, 'User'),
      resourceType: 'User',
      resourceId: p.due.resourceId,
      version: p.resource.version,
      outcome: changes ? 'applied' : 'unchanged',
      changes: changes ?? [],
      error: null,
      email: p.mapped.user.email,
      displayName: nameOf(p.mapped),
      requestId: named.requestId,
      resyncs: resyncsOf(done),
    });
  }
  return outcome;
}

function failure(due: DueResource, error: string, userName: string | null, mapped?: MappedUser): SyncActivityEntry {
  return {
    id: `${due.latest._id}:failed:${due.latest.attempts + 1}`,
    operation: operationLabel(due.latest, 'User'),
    resourceType: 'User',
    resourceId: due.resourceId,
    version: due.latest.version || null,
    outcome: 'failed',
    changes: [],
    error,
    email: mapped?.user.email ?? null,
    displayName: mapped ? nameOf(mapped) : userName,
    requestId: due.latest.requestId,
    resyncs: resyncsOf(due.records),
  };
}

/**
 * The batch's writes at once; should they fail for another reason than the database being
 * away, each user is written alone, so only the users that cannot be written fail.
 */
async function writeTargetUsers(ctx: WorkerContext, tenant: Tenant, writes: { created: TargetUserWrite[]; changed: TargetUserWrite[]; removed: string[] }): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  try {
    await targetUsers.write(ctx.models, tenant, writes);
    return failures;
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    ctx.logger.warn({ scimSettingId: tenant.scimSettingId.toHexString(), err: (err as Error).message }, 'batch write failed; writing its users one by one');
  }
  const alone = [
    ...writes.created.map((w) => ({ id: w.scimUserId, run: () => targetUsers.write(ctx.models, tenant, { created: [], changed: [w], removed: [] }) })),
    ...writes.changed.map((w) => ({ id: w.scimUserId, run: () => targetUsers.write(ctx.models, tenant, { created: [], changed: [w], removed: [] }) })),
    ...writes.removed.map((id) => ({ id, run: () => targetUsers.write(ctx.models, tenant, { created: [], changed: [], removed: [id] }) })),
  ];
  for (const { id, run } of alone) {
    await run().catch((err: Error) => {
      if (isDatabaseUnavailable(err)) throw err;
      failures.set(id, err.message);
    });
  }
  return failures;
}
