import { companyLeaseKey } from '../../src/store/company-lease';
import { projectionDue } from '../../src/store/projection-due';
import { syncActivity } from '../../src/store/sync-activity';
import type { Tenant } from '../../src/store/tenant';
import { holdLock, LockExpiredError } from '../../src/store/write-lock';
import type { WorkerContext } from '../context';
import { byResource } from './due-records';
import { finishResyncs } from './finish-resyncs';
import { projectGroups } from './project-groups';
import { projectUsers } from './project-users';
import { loadSettingRules } from './setting-rules';

/**
 * Due records one batch takes. A batch has costs of its own whatever its size (the setting's
 * rules, the company's order of settings, mirrored groups, its activity lines and due records);
 * its reads of users and people cost per user (src/store/by-values.ts). The lease is renewed
 * while a batch runs; a batch that still outlasts it (its holder stalled) is retried at half
 * the size.
 */
export const BATCH_SIZE = 5000;
const MIN_BATCH_SIZE = 50;
/** The share of the company's projection lease after which its holder stops writing (the rest is the margin for a slow write). */
const WRITE_SHARE = 2 / 3;
/**
 * How often, as a share of the lease, its holder renews it while a batch runs: a 5,000-user
 * batch on a loaded FerretDB outlasted a 60 s lease and was thrown away (measured: a 10,000-user
 * re-sync lost 74 s that way before its batches were halved).
 */
const RENEW_SHARE = 1 / 4;
/** How soon a record naming a write that has not landed yet is looked at again. */
const WAITING_MS = 1000;
/**
 * While an IdP streams writes, a batch finds only the few records of the last moment, and each
 * batch has its fixed costs: when more is due after a batch smaller than COALESCE_BELOW, the
 * next one waits COALESCE_MS (lease released), so it takes what accumulated meanwhile
 * (measured: 8 s of creates at 16 connections made 5 batches of 130–1,250). Nothing more due:
 * the run ends at once.
 */
const COALESCE_BELOW = 200;
const COALESCE_MS = 300;

/** Keyed by the company: several of its SCIM settings may send one person (src/store/company-lease.ts). */
export const projectionLeaseKey = (tenant: Tenant) => companyLeaseKey(tenant.companyId);

/**
 * The one writer of a company's target users and groups. Batches run under the company's lease
 * (a lock record, src/store/write-lock.ts), so two workers never write one company's people at
 * once; different companies project in parallel. Runs batches of the setting until nothing is
 * due now, then goes on with any other setting of the company that has work due. Returns false
 * when another worker holds the lease: that worker looks for the company's due work again after
 * releasing it, so nothing recorded meanwhile waits for the sweep.
 */
export async function projectSetting(ctx: WorkerContext, first: Tenant): Promise<boolean> {
  let tenant = first;
  let size = BATCH_SIZE;
  for (;;) {
    const lease = await holdLock(ctx.models, projectionLeaseKey(tenant), ctx.projectionLeaseMs, ctx.projectionLeaseMs * (1 - WRITE_SHARE), {
      renewEveryMs: ctx.projectionLeaseMs * RENEW_SHARE,
    });
    if (!lease) return false;
    let projected: number;
    try {
      projected = await projectBatch(ctx, tenant, size, lease.assertHeld);
      await finishResyncs(ctx, tenant, lease.assertHeld);
    } catch (err) {
      if (!(err instanceof LockExpiredError) || size <= MIN_BATCH_SIZE) throw err;
      // Too slow for the lease (a loaded database): smaller batches, so the setting still moves on.
      size = Math.max(MIN_BATCH_SIZE, Math.floor(size / 2));
      ctx.logger.warn({ scimSettingId: tenant.scimSettingId.toHexString(), size }, 'projection batch outlasted its lease; trying smaller batches');
      continue;
    } finally {
      await lease.release();
    }
    if ((await projectionDue.dueNow(ctx.models, tenant, 1)).length === 0) {
      const next = await projectionDue.otherSettingDueNow(ctx.models, tenant);
      if (!next) return true;
      tenant = next;
      continue;
    }
    if (projected < COALESCE_BELOW) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
  }
}

/** One batch: what is due, projected, then its due records cleared (a crash before that replays it, to the same effect). */
async function projectBatch(ctx: WorkerContext, tenant: Tenant, size: number, assertHeld: () => void): Promise<number> {
  const startedAt = Date.now();
  const steps: Record<string, number> = {};
  let mark = startedAt;
  const step = (name: string) => {
    const now = Date.now();
    steps[name] = now - mark;
    mark = now;
  };
  const due = await projectionDue.dueNow(ctx.models, tenant, size);
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
  const finished = outcomes.flatMap((o) => o.done);
  await projectionDue.clear(ctx.models, tenant, finished.map((d) => d._id));
  step('clear');

  const report = {
    tenant,
    startedAt,
    endedAt: Date.now(),
    size: due.length,
    applied: groups.applied + users.applied,
    unchanged: groups.unchanged + users.unchanged,
    failed: groups.failed.length + users.failed.length,
    finished,
  };
  ctx.logger.info({ scimSettingId: tenant.scimSettingId.toHexString(), size: report.size, applied: report.applied, unchanged: report.unchanged, failed: report.failed, ms: report.endedAt - startedAt, steps }, 'projection batch');
  ctx.onBatch?.(report);
  return due.length - outcomes.reduce((n, o) => n + o.waiting.length + o.failed.reduce((m, f) => m + f.records.length, 0), 0);
}
