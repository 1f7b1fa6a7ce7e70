import type { ProjectionDueDoc } from '../../src/models/projection-due';
import type { ScimUserResourceDoc } from '../../src/models/scim-user-resource';
import { Types } from 'mongoose';
import { emailKeyOf } from '../../src/mapping/address';
import { keyOfSource, placeSources, type Placement, type SourceChange } from '../../src/mapping/people';
import { mapUser, planUser, type MappedUser, type ProjectionRules } from '../../src/mapping/project-user';
import { isDatabaseUnavailable } from '../../src/db/unavailable';
import type { SyncActivityEntry } from '../../src/store/sync-activity';
import { settingRanks } from '../../src/store/setting-ranks';
import { targetUserConflicts, type ConflictEntry } from '../../src/store/target-user-conflicts';
import { targetUsers, type PeopleWrite } from '../../src/store/target-users';
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
  key: string;
  change: SourceChange | null;
  changes: string[];
}

const nameOf = (mapped: MappedUser) => [mapped.user.firstName, mapped.user.lastName].filter(Boolean).join(' ') || mapped.user.userName;

/** What the activity line of a placed SCIM user says besides its field changes. */
const IDENTITY_NOTES: Partial<Record<Placement['result'], string>> = { joined: 'joined an existing target user', tookOver: 'took over a console-managed target user', moved: 'moved to its new address', split: 'left a shared target user for one at its new address', excluded: 'target user excluded from SCIM management: not changed' };

const conflictMessage = (placement: Extract<Placement, { result: 'conflict' }>) =>
  placement.reason === 'takeOverOff'
    ? `${placement.email} belongs to a console-managed target user, and this SCIM setting does not take those over: not projected`
    : `${placement.email} belongs to another target user: this target user keeps its address until that is resolved`;

/**
 * The users of one batch: one read for SCIM users, one for the people holding them or their
 * addresses (src/store/target-users.ts), one for the setting's mirrored groups, one for group-by
 * groups; the pure mapping, group-by and identity rules in memory (src/mapping/people.ts); then
 * the people in as few writes as the server takes. A person whose write fails fails the users
 * placed on it; the others commit.
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
  const setting = tenant.scimSettingId.toHexString();
  const ids = dues.map((d) => d.resourceId);
  const [resources, mirrored, ranks, held] = await Promise.all([
    ctx.users.readForProjection(tenant, ids),
    rules.groupingCriteria === 'idpGroups' ? ctx.groups.targetGroupsByMember(tenant) : Promise.resolve(new Map<string, string[]>()),
    settingRanks(ctx.models, tenant.companyId),
    targetUsers.bySources(ctx.models, tenant, ids.map((id) => keyOfSource({ scimSettingId: setting, scimUserId: id }))),
  ]);
  step('read');
  const mapped = new Map<string, MappedUser>();
  for (const due of dues) {
    const resource = resources.get(due.resourceId);
    if (!resource) continue;
    try {
      mapped.set(due.resourceId, mapUser(rules, resource));
    } catch (err) {
      outcome.failed.push({ records: due.records, error: (err as Error).message });
      outcome.activity.push(failure(due, (err as Error).message, resource.userName));
    }
  }
  // Only addresses no person read above holds need a look: new users and address changes.
  const heldAddresses = new Set(held.map((p) => p.emailKey));
  const unknown = [...new Set([...mapped].map(([id, m]) => emailKeyOf(m.user, setting, id)))].filter((key) => !heldAddresses.has(key));
  const byAddress = await targetUsers.byAddresses(ctx.models, tenant, unknown);
  const people = [...new Map([...held, ...byAddress].map((p) => [p.id, p] as const)).values()];
  const sources = new Map(people.flatMap((p) => p.sources.map((s) => [keyOfSource(s), s] as const)));
  step('people');

  const planned: Planned[] = [];
  for (const due of dues) {
    const key = keyOfSource({ scimSettingId: setting, scimUserId: due.resourceId });
    const resource = resources.get(due.resourceId);
    if (!resource) {
      // Gone once its deletion was projected, and its source (when the policy keeps one) holds
      // that last version: a replay after a crash is finished by it. Otherwise the write has not landed yet.
      const { done, waiting } = finishedBy(due, sources.get(key)?.version ?? null, now);
      outcome.done.push(...done);
      outcome.waiting.push(...waiting);
      continue;
    }
    const m = mapped.get(due.resourceId);
    if (m) planned.push({ due, resource, mapped: m, key, change: null, changes: [] });
  }

  const groupByIds = await targetGroups.ensureByName(ctx.models, tenant, planned.flatMap((p) => (p.mapped.decision.groupByName ? [p.mapped.decision.groupByName] : [])));
  for (const p of planned) {
    const plan = planUser({
      rules,
      resource: p.resource,
      mapped: p.mapped,
      existing: sources.get(p.key)?.view ?? null,
      mirroredGroupIds: mirrored.get(p.due.resourceId) ?? [],
      groupByGroupId: p.mapped.decision.groupByName ? (groupByIds.get(p.mapped.decision.groupByName) ?? null) : null,
    });
    const ref = { scimSettingId: setting, scimUserId: p.due.resourceId };
    if (plan.action === 'write') {
      p.change = { kind: 'write', ...ref, emailKey: emailKeyOf(p.mapped.user, setting, p.due.resourceId), view: plan.view, version: p.resource.version, rulesVersion: rules.rulesVersion };
      p.changes = plan.changes;
    }
    if (plan.action === 'remove') {
      p.change = { kind: 'remove', ...ref };
      p.changes = ['removed'];
    }
    const source = sources.get(p.key);
    if (plan.action === 'none' && source && p.due.records.some((r) => r.operation === 'resync')) {
      // Nothing of its own changed, but a re-sync re-applies the company's order of settings and the take-over option to its person.
      p.change = { kind: 'write', ...ref, emailKey: source.emailKey, view: source.view, version: source.version, rulesVersion: source.rulesVersion };
    }
  }
  const placed = placeSources(people, planned.flatMap((p) => (p.change ? [p.change] : [])), { settings: ranks, now, newId: () => new Types.ObjectId().toHexString() });

  step('plan');
  assertHeld();
  const personOf = (id: string) => placed.people.get(id)!;
  const writeFailures = await writePeople(ctx, tenant, { created: [...placed.created].map(personOf), changed: [...placed.changed].map(personOf), removed: [...placed.removed] });
  const conflicts: ConflictEntry[] = [];
  const settled: string[] = [];
  for (const p of planned) {
    const placement = placed.placements.get(p.key);
    if (placement?.result === 'conflict') conflicts.push({ scimUserId: p.due.resourceId, reason: placement.reason, email: placement.email, heldBy: placement.heldBy });
    else if (placement) settled.push(p.due.resourceId);
  }
  await targetUserConflicts.settle(ctx.models, tenant, conflicts, settled);
  step('write');

  for (const p of planned) {
    const placement = placed.placements.get(p.key) ?? { result: 'none' as const };
    const error = 'targetUserId' in placement && placement.targetUserId !== null ? writeFailures.get(placement.targetUserId) : undefined;
    if (error !== undefined) {
      outcome.failed.push({ records: p.due.records, error });
      outcome.activity.push(failure(p.due, error, p.mapped.user.userName, p.mapped));
      continue;
    }
    const { done, waiting, named } = finishedBy(p.due, p.resource.version, now);
    if (p.resource.deleted && deletionFinished(done, p.resource.version)) await ctx.users.removeTombstone(tenant, p.resource._id, p.resource.version);
    outcome.done.push(...done);
    outcome.waiting.push(...waiting);
    const note = IDENTITY_NOTES[placement.result];
    // Of an excluded target user, the SCIM user's own changes were recorded, but applied to nothing.
    const skipped = placement.result === 'excluded';
    const changes = placement.result === 'joined' || placement.result === 'tookOver' || skipped ? [note!] : note ? [...p.changes, note] : p.changes;
    if (changes.length && !skipped) outcome.applied += 1;
    else outcome.unchanged += 1;
    if (!named) continue;
    outcome.activity.push({
      id: named._id,
      operation: operationLabel(named, 'User'),
      resourceType: 'User',
      resourceId: p.due.resourceId,
      version: p.resource.version,
      outcome: placement.result === 'conflict' ? 'conflict' : skipped ? 'skipped' : changes.length ? 'applied' : 'unchanged',
      changes,
      error: placement.result === 'conflict' ? conflictMessage(placement) : null,
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
 * The batch's people at once; should that fail for another reason than the database being away,
 * each person is written alone, so only the people that cannot be written fail (by id).
 */
async function writePeople(ctx: WorkerContext, tenant: Tenant, writes: PeopleWrite): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  try {
    await targetUsers.write(ctx.models, tenant, writes);
    return failures;
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    ctx.logger.warn({ scimSettingId: tenant.scimSettingId.toHexString(), err: (err as Error).message }, 'batch write failed; writing its target users one by one');
  }
  // Changed and removed ones first: an address a person left is free for a new one only then.
  const alone = [
    ...writes.changed.map((p) => ({ id: p.id, write: { created: [], changed: [p], removed: [] } })),
    ...writes.removed.map((id) => ({ id, write: { created: [], changed: [], removed: [id] } })),
    ...writes.created.map((p) => ({ id: p.id, write: { created: [p], changed: [], removed: [] } })),
  ];
  for (const { id, write } of alone) {
    await targetUsers.write(ctx.models, tenant, write).catch((err: Error) => {
      if (isDatabaseUnavailable(err)) throw err;
      failures.set(id, err.message);
    });
  }
  return failures;
}
