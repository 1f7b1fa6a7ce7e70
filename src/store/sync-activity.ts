import { randomUUID } from 'node:crypto';
import type { Models } from '../models';
import type { SyncOutcome } from '../models/sync-activity';
import type { Tenant } from './tenant';

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
});

/** The sync activity an admin reads: the intake records refused members, the projection its outcomes. */
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
      const writeErrors = (err as { writeErrors?: Array<{ code?: number }> }).writeErrors;
      if (!Array.isArray(writeErrors) || !writeErrors.every((e) => e.code === 11000)) throw err;
    }
  },
};
