import type { Queue } from 'bullmq';
import type { Models } from '../../src/models';
import type { ResyncTally, SettingResyncDoc } from '../../src/models/setting-resync';
import type { ScimSetting } from '../../src/models/scim-setting';
import { projectionDue } from '../../src/store/projection-due';
import { settingResyncs } from '../../src/store/setting-resyncs';
import type { Tenant } from '../../src/store/tenant';
import { resyncJobId } from './settings-service';

/** BullMQ states of a job that has still to run. */
const PENDING = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Where the re-sync of a setting's current rules stands, from what is stored, so every web
 * process tells the same: the stored re-sync (src/store/setting-resyncs.ts), its due records
 * still present, and before the re-sync job has stored anything, that job in the queue.
 */
export type ResyncStatus =
  /** The first rules: every user was projected under them as it arrived; nothing to re-sync. */
  | { state: 'none'; rulesVersion: number }
  | { state: 'requested'; rulesVersion: number; requestedAt: Date; jobState: string }
  /** No re-sync of these rules is stored and none waits: the queue was unreachable, or the job failed. */
  | { state: 'notRecorded'; rulesVersion: number; jobState: string | null; queueReachable: boolean }
  | { state: 'running'; rulesVersion: number; requestedAt: Date; total: number; due: number; failing: number; percent: number }
  | { state: 'finished'; rulesVersion: number; requestedAt: Date; finishedAt: Date; users: number; groups: number; userTally: ResyncTally; groupTally: ResyncTally };

export const percentDone = (done: number, total: number) => (total === 0 ? 100 : Math.min(100, Math.floor((done * 100) / total)));

/** A re-sync still on its way: the pages showing it load themselves again. */
export const isUnderway = (status: ResyncStatus) => status.state === 'requested' || status.state === 'running';

async function readJob(queue: Queue, jobId: string): Promise<{ state: string; requestedAt: Date } | null | 'unreachable'> {
  try {
    const job = await queue.getJob(jobId);
    return job ? { state: await job.getState(), requestedAt: new Date(job.timestamp) } : null;
  } catch {
    return 'unreachable';
  }
}

export async function resyncStatus(models: Models, maintenance: Queue, setting: Pick<ScimSetting, '_id' | 'companyId' | 'rulesVersion'>): Promise<ResyncStatus> {
  const tenant = { companyId: setting.companyId, scimSettingId: setting._id };
  const { rulesVersion } = setting;
  const stored = await settingResyncs.find(models, tenant, rulesVersion);
  if (stored) return storedStatus(models, tenant, stored);
  const job = await readJob(maintenance, resyncJobId(setting._id.toHexString(), rulesVersion));
  if (job === 'unreachable') return { state: 'notRecorded', rulesVersion, jobState: null, queueReachable: false };
  if (job && PENDING.has(job.state)) return { state: 'requested', rulesVersion, requestedAt: job.requestedAt, jobState: job.state };
  // The job stores the re-sync before it completes: one that completed since the first look has stored it.
  const storedMeanwhile = job ? await settingResyncs.find(models, tenant, rulesVersion) : null;
  if (storedMeanwhile) return storedStatus(models, tenant, storedMeanwhile);
  if (!job && rulesVersion === 1) return { state: 'none', rulesVersion };
  return { state: 'notRecorded', rulesVersion, jobState: job?.state ?? null, queueReachable: true };
}

async function storedStatus(models: Models, tenant: Tenant, resync: SettingResyncDoc): Promise<ResyncStatus> {
  const { rulesVersion, requestedAt } = resync;
  if (resync.finishedAt && resync.userTally && resync.groupTally) {
    const { finishedAt, users, groups, userTally, groupTally } = resync;
    return { state: 'finished', rulesVersion, requestedAt, finishedAt, users, groups, userTally, groupTally };
  }
  const { due, failing } = await projectionDue.count(models, tenant, rulesVersion);
  const total = resync.users + resync.groups;
  return { state: 'running', rulesVersion, requestedAt, total, due, failing, percent: percentDone(total - due, total) };
}
