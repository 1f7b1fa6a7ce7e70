import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { DueKind, ProjectionDueDoc } from '../models/projection-due';
import { isDuplicateKey, onlyDuplicateKeys } from './mongo-errors';
import type { Tenant } from './tenant';

/** A failed projection waits this long, doubling per attempt up to the cap. */
const RETRY_BASE_MS = 1000;
const RETRY_CAP_MS = 10 * 60_000;
/** insertMany in chunks: FerretDB takes them fast, and one chunk's duplicates do not stop the next. */
const INSERT_CHUNK = 1000;

export interface DueWork {
  kind: DueKind;
  resourceId: string;
  version: number;
  operation: string;
  /** The request that made the write (src/http/request-id.ts), carried to its sync activity; null for the sweep's own work. */
  requestId: string | null;
  /** The rules version of the re-sync that recorded it. */
  resync?: number;
}

/** Due records not yet failed (`pending`) and those retrying after a failure (`failing`): how many, and when the oldest was recorded. */
export type DueBacklog = Record<'pending' | 'failing', { count: number; oldest: Date | null }>;

const dueId = (tenant: Tenant, work: DueWork, cause?: string) =>
  `${tenant.scimSettingId.toHexString()}:${work.kind}:${work.resourceId}:${work.version}${cause === undefined ? '' : `:${cause}`}`;

function record(tenant: Tenant, work: DueWork, now: Date, cause?: string): ProjectionDueDoc {
  return {
    _id: dueId(tenant, work, cause),
    companyId: tenant.companyId,
    scimSettingId: tenant.scimSettingId,
    ...work,
    resync: work.resync ?? null,
    createdAt: now,
    notBefore: now,
    attempts: 0,
    lastError: null,
  };
}

/** Inserts, counting a record that is already there (a replay) as written. */
async function insertAll(models: Models, docs: ProjectionDueDoc[]): Promise<void> {
  for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
    try {
      await models.ProjectionDue.collection.insertMany(docs.slice(i, i + INSERT_CHUNK) as never[], { ordered: false });
    } catch (err) {
      if (!onlyDuplicateKeys(err) && !isDuplicateKey(err)) throw err;
    }
  }
}

/**
 * The due-work of projections, one record per write (src/models/projection-due.ts). Every
 * method takes the tenant; the intake only inserts, the setting's projection alone changes or
 * removes records.
 */
export const projectionDue = {
  /**
   * Called by the intake under the resource's write lock, before the resource itself is written;
   * returns the record's id. A record of the same version is there already only when an earlier
   * write of it failed before landing and could not withdraw it (the database away): this write
   * gets a record of its own, since the projection abandons that one, and clearing it must not
   * take this write's projection along.
   */
  async record(models: Models, tenant: Tenant, work: DueWork, now = new Date()): Promise<string> {
    const doc = record(tenant, work, now);
    try {
      await models.ProjectionDue.collection.insertOne(doc as never);
      return doc._id;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const own = { ...doc, _id: `${doc._id}:${randomUUID()}` };
    await models.ProjectionDue.collection.insertOne(own as never);
    return own._id;
  },

  /**
   * The intake's write failed after recording its due record (a duplicate userName, a refused
   * update): the version it named will not come from this write. Safe without the lease: the
   * record names a write only this request, holding the resource's write lock, could make.
   */
  async withdraw(models: Models, tenant: Tenant, id: string): Promise<void> {
    await models.ProjectionDue.collection.deleteOne({ _id: id as never, scimSettingId: tenant.scimSettingId, attempts: 0 });
  },

  /** Many at once: a re-sync (`cause` names it) or the members of a changed mirrored group. */
  async recordMany(models: Models, tenant: Tenant, works: DueWork[], cause: string, now = new Date()): Promise<void> {
    await insertAll(models, works.map((work) => record(tenant, work, now, cause)));
  },

  /**
   * Up to `limit` records of the setting that are due now, in no particular order: a projection
   * shows each resource's latest state whatever order they come in, and sorting would make
   * FerretDB read the whole collection.
   */
  async dueNow(models: Models, tenant: Tenant, limit: number, now = new Date()): Promise<ProjectionDueDoc[]> {
    return (await models.ProjectionDue.collection
      .find({ scimSettingId: tenant.scimSettingId, notBefore: { $lte: now } })
      .limit(limit)
      .toArray()) as unknown as ProjectionDueDoc[];
  },

  /** Another SCIM setting of the tenant's company with work due now: the company's projection goes on with it. */
  async otherSettingDueNow(models: Models, tenant: Tenant, now = new Date()): Promise<Tenant | null> {
    const doc = await models.ProjectionDue.collection.findOne(
      { companyId: tenant.companyId, scimSettingId: { $ne: tenant.scimSettingId }, notBefore: { $lte: now } },
      { projection: { scimSettingId: 1 } },
    );
    return doc ? { companyId: tenant.companyId, scimSettingId: doc.scimSettingId as Types.ObjectId } : null;
  },

  /**
   * One `$in`: FerretDB matches it over the setting's due records, which are its pending work,
   * not its data; cheaper than one delete per record (measured in 250-user batches at the
   * bench: 0.4–0.6 s that way).
   */
  async clear(models: Models, tenant: Tenant, ids: string[]): Promise<void> {
    if (ids.length) await models.ProjectionDue.collection.deleteMany({ scimSettingId: tenant.scimSettingId, _id: { $in: ids as never[] } });
  },

  /** A projection failed: try again later, longer each time. Only the setting's projection writes these records. */
  async retryLater(models: Models, tenant: Tenant, records: ProjectionDueDoc[], error: string, now = Date.now()): Promise<void> {
    for (const due of records) {
      const attempts = due.attempts + 1;
      const wait = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      await models.ProjectionDue.collection.updateOne(
        { _id: due._id as never, scimSettingId: tenant.scimSettingId },
        { $set: { attempts, notBefore: new Date(now + wait), lastError: error.slice(0, 2000) } },
      );
    }
  },

  /** Not yet answerable (the write it names has not landed yet): look again shortly, no attempt used. */
  async postpone(models: Models, tenant: Tenant, records: ProjectionDueDoc[], ms: number, now = Date.now()): Promise<void> {
    if (records.length === 0) return;
    await models.ProjectionDue.collection.updateMany(
      { scimSettingId: tenant.scimSettingId, _id: { $in: records.map((r) => r._id) as never[] } },
      { $set: { notBefore: new Date(now + ms) } },
    );
  },

  /**
   * Whether a re-sync (by its rules version) has a record not yet tried. One record is looked
   * for, not counted: FerretDB finds by a filter in SQL (20,000 records: 20–230 ms) but counts in
   * its own process (1.5 s), and the projection asks after every batch.
   */
  async hasUntried(models: Models, tenant: Tenant, resync: number): Promise<boolean> {
    return (await models.ProjectionDue.collection.findOne({ scimSettingId: tenant.scimSettingId, resync, attempts: 0 }, { projection: { _id: 1 } })) !== null;
  },

  /** The setting's records, or those one re-sync (by its rules version) recorded. */
  async count(models: Models, tenant: Tenant, resync?: number): Promise<{ due: number; failing: number }> {
    const filter = { scimSettingId: tenant.scimSettingId, ...(resync === undefined ? {} : { resync }) };
    const [due, failing] = await Promise.all([
      models.ProjectionDue.collection.countDocuments(filter),
      models.ProjectionDue.collection.countDocuments({ ...filter, attempts: { $gt: 0 } }),
    ]);
    return { due, failing };
  },

  /**
   * Work still due across every setting, for operations (metrics): how many records and when the
   * oldest was recorded, failing ones (retrying with backoff) apart. Not tenant-scoped: it is a
   * figure of the whole deployment and names no setting.
   */
  async backlog(models: Models): Promise<DueBacklog> {
    const due = models.ProjectionDue.collection;
    // Counts and sorted finds: FerretDB v1 has no $min or $first in $group.
    const part = async (filter: object) => {
      const [count, oldest] = await Promise.all([
        due.countDocuments(filter),
        due.find(filter, { projection: { createdAt: 1 } }).sort({ createdAt: 1 }).limit(1).next(),
      ]);
      return { count, oldest: (oldest?.createdAt as Date | undefined) ?? null };
    };
    const [pending, failing] = await Promise.all([part({ attempts: 0 }), part({ attempts: { $gt: 0 } })]);
    return { pending, failing };
  },

  /** The settings that have work due now: the sweep wakes their projections. Not tenant-scoped: it is the worker's own bookkeeping. */
  async settingsDueNow(models: Models, now = new Date()): Promise<Tenant[]> {
    const rows = await models.ProjectionDue.collection
      .aggregate<{ _id: { companyId: Types.ObjectId; scimSettingId: Types.ObjectId } }>([
        { $match: { notBefore: { $lte: now } } },
        { $group: { _id: { companyId: '$companyId', scimSettingId: '$scimSettingId' } } },
      ])
      .toArray();
    return rows.map((row) => row._id);
  },
};
