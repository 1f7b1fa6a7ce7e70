import type { Logger } from '../src/logger';
import type { Models } from '../src/models';
import type { Producer } from '../src/queue/producer';
import { queueProjection } from '../src/store/outbox';

/** A write whose projection has not run this long after it was stored lost its job (Redis failed between write and enqueue). */
export const PENDING_GRACE_MS = 30_000;
const BATCH = 500;

interface Written {
  _id: unknown;
  companyId: never;
  scimSettingId: never;
  version: number;
  deleted?: boolean;
}

/**
 * Queues a projection for every resource written in [since, now − grace) whose projection
 * is missing. A user projection never writes the SCIM user (FerretDB v1 applies an update as a
 * read then a whole-document write, so it could undo an IdP write made at the same moment), so
 * a user counts as projected when its target user shows its version. A group counts as
 * projected once its projection cleared `projectionPending` (under the group's write lock).
 * Job ids carry the version: a projection already queued, or failed for good and kept in the
 * failed set, is not queued again.
 */
export async function reconcilePending(models: Models, producer: Producer, logger: Logger, now = Date.now(), since = new Date(0)): Promise<number> {
  const window = { $gte: since, $lt: new Date(now - PENDING_GRACE_MS) };
  const projection = { companyId: 1, scimSettingId: 1, version: 1, deleted: 1 };
  let queued = 0;
  const queue = async (kind: 'User' | 'Group', docs: Written[]) => {
    for (const doc of docs) {
      await queueProjection(producer, logger, kind, { companyId: doc.companyId, scimSettingId: doc.scimSettingId }, String(doc._id), doc.version, 'reconcile');
      queued += 1;
    }
  };

  let users: Written[] = [];
  const flushUsers = async () => {
    const targets = await models.TargetUser.collection
      .find(
        { scimSettingId: { $in: [...new Set(users.map((u) => u.scimSettingId))] }, scimUserId: { $in: users.map((u) => String(u._id)) } },
        { projection: { scimSettingId: 1, scimUserId: 1, 'sync.version': 1 } },
      )
      .toArray();
    const shown = new Map(targets.map((t) => [`${String(t.scimSettingId)}/${String(t.scimUserId)}`, (t.sync as { version: number }).version]));
    // A tombstone still here was not finished (its projection removes it), whatever the target shows.
    await queue('User', users.filter((u) => u.deleted || (shown.get(`${String(u.scimSettingId)}/${String(u._id)}`) ?? 0) < u.version));
    users = [];
  };
  for await (const doc of models.ScimUserResource.collection.find({ lastModified: window }, { projection })) {
    users.push(doc as unknown as Written);
    if (users.length >= BATCH) await flushUsers();
  }
  if (users.length) await flushUsers();

  // The group projection clears `projectionPending` under the group's write lock, so it can be trusted.
  const groups = models.ScimGroupResource.collection.find({ lastModified: window, projectionPending: true }, { projection });
  for await (const doc of groups) await queue('Group', [doc as unknown as Written]);

  if (queued) logger.info({ queued }, 'reconciler queued projections');
  return queued;
}

/** How far back the first run after a worker process starts looks. */
const FIRST_RUN_LOOKBACK_MS = 7 * 24 * 3600_000;

/**
 * The worker process's reconciler: each run covers the writes since the previous run, with an
 * overlap (web and worker clocks differ); the first run covers the last week.
 */
export class PendingReconciler {
  private since = new Date(Date.now() - FIRST_RUN_LOOKBACK_MS);
  private running = false;

  constructor(
    private readonly models: Models,
    private readonly producer: Producer,
    private readonly logger: Logger,
  ) {}

  async run(now = Date.now()): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await reconcilePending(this.models, this.producer, this.logger, now, this.since);
      this.since = new Date(now - 2 * PENDING_GRACE_MS);
    } finally {
      this.running = false;
    }
  }
}
