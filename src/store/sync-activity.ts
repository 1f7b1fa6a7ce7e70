import { randomUUID } from 'node:crypto';
import type { Models } from '../models';
import type { ResyncTally } from '../models/setting-resync';
import type { SyncOutcome } from '../models/sync-activity';
import type { Tenant } from './tenant';
import { onlyDuplicateKeys } from './mongo-errors';

export interface SyncActivityEntry {
  /** Names the event: a replayed projection writes the same id, so its line is not doubled. */
  id?: string;
  operation: string;
  resourceType: 'User' | 'Group';
  resourceId: string | null;
  version: number | null;
  outcome: SyncOutcome;
  changes: string[];
  error: string | null;
  email?: string | null;
  displayName?: string | null;
  /** The request behind it (src/http/request-id.ts): one id finds what an IdP call did. */
  requestId?: string | null;
  /** The re-syncs (by rules version) whose due records the line answers. */
  resyncs?: number[];
}

const toDoc = (tenant: Tenant, entry: SyncActivityEntry, at: Date) => ({
  _id: entry.id ?? randomUUID(),
  companyId: tenant.companyId,
  scimSettingId: tenant.scimSettingId,
  at,
  operation: entry.operation,
  resourceType: entry.resourceType,
  resourceId: entry.resourceId,
  version: entry.version,
  outcome: entry.outcome,
  changes: entry.changes,
  error: entry.error,
  email: entry.email ?? null,
  displayName: entry.displayName ?? null,
  requestId: entry.requestId ?? null,
  resyncs: entry.resyncs ?? [],
});

/**
 * The sync activity an admin reads (src/models/sync-activity.ts): the intake records refused
 * members, the projection its outcomes, the console reads a setting's figures. Every method takes
 * the setting as a Tenant; AdminJS's list of it is scoped by company (admin/resources/sync-activity.ts).
 */
export const syncActivity = {
  async record(models: Models, tenant: Tenant, entry: SyncActivityEntry, at = new Date()): Promise<void> {
    await models.SyncActivity.collection.insertOne(toDoc(tenant, entry, at) as never);
  },

  /** One insertMany; lines already written by an earlier run of the same projection are skipped. */
  async recordMany(models: Models, tenant: Tenant, entries: SyncActivityEntry[], at = new Date()): Promise<void> {
    if (entries.length === 0) return;
    try {
      await models.SyncActivity.collection.insertMany(entries.map((e) => toDoc(tenant, e, at)) as never[], { ordered: false });
    } catch (err) {
      if (!onlyDuplicateKeys(err)) throw err;
    }
  },

  /**
   * What a re-sync came to, per kind, from the lines that answer its due records. A resource
   * counts once however many lines it has (a failure then a success, a replayed batch): as
   * changed if any of them applied a change, as failed if it failed and was never projected since.
   */
  async resyncTally(models: Models, tenant: Tenant, rulesVersion: number): Promise<Record<'User' | 'Group', ResyncTally>> {
    const lines = await models.SyncActivity.collection
      .find({ scimSettingId: tenant.scimSettingId, resyncs: rulesVersion }, { projection: { resourceType: 1, resourceId: 1, outcome: 1 } })
      .toArray();
    const outcomes = new Map<string, { type: 'User' | 'Group'; seen: Set<string> }>();
    for (const line of lines) {
      const key = `${String(line.resourceType)}:${String(line.resourceId)}`;
      const entry = outcomes.get(key) ?? { type: line.resourceType as 'User' | 'Group', seen: new Set<string>() };
      entry.seen.add(String(line.outcome));
      outcomes.set(key, entry);
    }
    const tally = { User: { reprojected: 0, changed: 0, failed: 0 }, Group: { reprojected: 0, changed: 0, failed: 0 } };
    for (const { type, seen } of outcomes.values()) {
      // Skipped: projected onto a target user excluded from SCIM management, which it left as it was.
      if (seen.has('applied') || seen.has('unchanged') || seen.has('skipped')) tally[type].reprojected += 1;
      else if (seen.has('failed')) tally[type].failed += 1;
      if (seen.has('applied')) tally[type].changed += 1;
    }
    return tally;
  },

  /** How many lines of the setting say a projection failed. */
  async countFailed(models: Models, tenant: Tenant): Promise<number> {
    return models.SyncActivity.countDocuments({ scimSettingId: tenant.scimSettingId, outcome: 'failed' as const });
  },

  /** When the setting's latest line was written. */
  async lastAt(models: Models, tenant: Tenant): Promise<Date | null> {
    return (await models.SyncActivity.findOne({ scimSettingId: tenant.scimSettingId }, { at: 1 }).sort({ at: -1 }).lean())?.at ?? null;
  },

  /** When the setting's projection last applied or confirmed a write. */
  async lastProjectedAt(models: Models, tenant: Tenant): Promise<Date | null> {
    return (await models.SyncActivity.findOne({ scimSettingId: tenant.scimSettingId, outcome: { $in: ['applied', 'unchanged', 'skipped'] } }, { at: 1 }).sort({ at: -1 }).lean())?.at ?? null;
  },
};
