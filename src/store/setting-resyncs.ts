import type { Models } from '../models';
import type { ResyncTally, SettingResyncDoc } from '../models/setting-resync';
import type { Tenant } from './tenant';
import { isDuplicateKey } from './mongo-errors';

const resyncId = (tenant: Tenant, rulesVersion: number) => `${tenant.scimSettingId.toHexString()}:r${rulesVersion}`;

export interface RecordedResync {
  rulesVersion: number;
  requestedAt: Date;
  recordedAt: Date;
  users: number;
  groups: number;
}

/**
 * The re-syncs of a SCIM setting (src/models/setting-resync.ts). The re-sync job only inserts;
 * the setting's projection alone, under its lease, changes a record (its finish).
 */
export const settingResyncs = {
  /** Called by the re-sync job after every due record of the re-sync is stored. A replayed job's insert keeps the first. */
  async recorded(models: Models, tenant: Tenant, resync: RecordedResync): Promise<void> {
    const doc: SettingResyncDoc = { _id: resyncId(tenant, resync.rulesVersion), ...tenant, ...resync, finishedAt: null, userTally: null, groupTally: null };
    try {
      await models.SettingResync.collection.insertOne(doc as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  },

  async find(models: Models, tenant: Tenant, rulesVersion: number): Promise<SettingResyncDoc | null> {
    return (await models.SettingResync.collection.findOne({ _id: resyncId(tenant, rulesVersion) as never, scimSettingId: tenant.scimSettingId })) as SettingResyncDoc | null;
  },

  async unfinished(models: Models, tenant: Tenant): Promise<SettingResyncDoc[]> {
    return (await models.SettingResync.collection.find({ scimSettingId: tenant.scimSettingId, finishedAt: null }).toArray()) as unknown as SettingResyncDoc[];
  },

  /** Only the setting's projection, under its lease. */
  async finish(models: Models, tenant: Tenant, rulesVersion: number, finish: { finishedAt: Date; userTally: ResyncTally; groupTally: ResyncTally }): Promise<void> {
    await models.SettingResync.collection.updateOne({ _id: resyncId(tenant, rulesVersion) as never, scimSettingId: tenant.scimSettingId }, { $set: finish });
  },

  /**
   * Settings with a re-sync not yet stamped finished: the due sweep wakes them, so a re-sync
   * whose last record was cleared before the re-sync itself was stored still gets its finish.
   * Not tenant-scoped: it is the worker's own bookkeeping.
   */
  async settingsUnfinished(models: Models): Promise<Tenant[]> {
    const rows = await models.SettingResync.collection.find({ finishedAt: null }, { projection: { companyId: 1, scimSettingId: 1 } }).toArray();
    const seen = new Map<string, Tenant>();
    for (const row of rows) seen.set(String(row.scimSettingId), { companyId: row.companyId, scimSettingId: row.scimSettingId });
    return [...seen.values()];
  },
};
