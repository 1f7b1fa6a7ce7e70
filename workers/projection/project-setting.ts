import { projectionDue } from '../../src/store/projection-due';
import { syncActivity } from '../../src/store/sync-activity';
import type { Tenant } from '../../src/store/tenant';
import { holdLock } from '../../src/store/write-lock';
import type { WorkerContext } from '../context';
import { byResource } from './due-records';
import { projectGroups } from './project-groups';
import { projectUsers } from './project-users';
import { loadSettingRules } from './setting-rules';

/**
 * Due records one batch takes. Large, because on FerretDB each of a batch's reads and deletes
 * scans its whole collection (no filter is index-served there): the cost is per batch, not per user.
 */
export const BATCH_SIZE = 2000;
/** The setting's projection lease, and how long before it lapses its holder stops writing. */
const LEASE_MS = 60_000;
const LEASE_MARGIN_MS = 20_000;
/** How soon a record naming a write that has not landed yet is looked at again. */
const WAITING_MS = 1000;

export const projectionLeaseKey = (tenant: Tenant) => `project:${tenant.scimSettingId.toHexString()}`;

/**
 * The one writer of a SCIM setting's target users and groups. Batches run under the setting's
 * lease (a lock record, src/store/write-lock.ts), so two workers never write one setting's
 * users at once; different settings project in parallel. Runs batches until nothing is due
 * now. Returns false when another worker holds the lease: that worker looks for due work
 * again after releasing it, so nothing recorded meanwhile waits for the sweep.
 */
export async function projectSetting(ctx: WorkerContext, tenant: Tenant): Promise<boolean> {
  for (;;) {
    const lease = await holdLock(ctx.models, projectionLeaseKey(tenant), LEASE_MS, LEASE_MARGIN_MS);
    if (!lease) return false;
    let projected: number;
    try {
      projected = await projectBatch(ctx, tenant, lease.assertHeld);
    } finally {
      await lease.release();
    }
    if (projected === 0 && (await projectionDue.dueNow(ctx.models, tenant, 1)).length === 0) return true;
  }
}

/** One batch: what is due, projected, then its due records cleared (a crash before that replays it, to the same effect). */
async function projectBatch(ctx: WorkerContext, tenant: Tenant, assertHeld: () => void): Promise<number> {
  const startedAt = Date.now();
  const steps: Record<string, number> = {};
  let mark = startedAt;
  const step = (name: string) => {
    const now = Date.now();
    steps[name] = now - mark;
    mark = now;
  };
  const due = await projectionDue.dueNow(ctx.models, tenant, BATCH_SIZE);
  step('due');
  if (due.length === 0) return 0;
  const rules = await loadSettingRules(ctx.models, tenant);
  if (!rules) {
    await projectionDue.clear(ctx.models, tenant, due.map((d) => d._id));
    return due.length;
  }
  step('rules');
  const groups = await projectGroups(ctx, tenant, rules, byResource(due.filter((d) => d.kind === 'Group')), assertHeld);
  step('groups');
  const users = await projectUsers(ctx, tenant, rules, byResource(due.filter((d) => d.kind === 'User')), assertHeld, step);
  step('users');
  const outcomes = [groups, users];

  assertHeld();
  await syncActivity.recordMany(ctx.models, tenant, outcomes.flatMap((o) => o.activity));
  step('activity');
  for (const { records, error } of outcomes.flatMap((o) => o.failed)) await projectionDue.retryLater(ctx.models, tenant, records, error);
  await projectionDue.postpone(ctx.models, tenant, outcomes.flatMap((o) => o.waiting), WAITING_MS);
  await projectionDue.clear(ctx.models, tenant, outcomes.flatMap((o) => o.done.map((d) => d._id)));
  step('clear');

  const report = {
    tenant,
    startedAt,
    endedAt: Date.now(),
    size: due.length,
    applied: groups.applied + users.applied,
    unchanged: groups.unchanged + users.unchanged,
    failed: groups.failed.length + users.failed.length,
  };
  ctx.logger.info({ scimSettingId: tenant.scimSettingId.toHexString(), size: report.size, applied: report.applied, unchanged: report.unchanged, failed: report.failed, ms: report.endedAt - startedAt, steps }, 'projection batch');
  ctx.onBatch?.(report);
  return due.length - outcomes.reduce((n, o) => n + o.waiting.length + o.failed.reduce((m, f) => m + f.records.length, 0), 0);
}
