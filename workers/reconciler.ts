import type { Logger } from '../src/logger';
import type { Models } from '../src/models';
import type { Producer } from '../src/queue/producer';
import { queueProjection } from '../src/store/outbox';

/** A write this old and still pending lost its job (Redis failed between write and enqueue, or the job failed for good). */
const PENDING_GRACE_MS = 30_000;
const BATCH = 500;

/**
 * Queues projections for resources whose write never got one. Job ids carry the version,
 * so a projection already queued is not queued twice.
 */
export async function reconcilePending(models: Models, producer: Producer, logger: Logger, now = Date.now()): Promise<number> {
  const before = new Date(now - PENDING_GRACE_MS);
  let queued = 0;
  for (const [kind, model] of [
    ['User', models.ScimUserResource],
    ['Group', models.ScimGroupResource],
  ] as const) {
    const pending = await model.collection
      .find({ projectionPending: true, lastModified: { $lt: before } }, { projection: { companyId: 1, scimSettingId: 1, version: 1 }, limit: BATCH })
      .toArray();
    for (const doc of pending) {
      await queueProjection(producer, logger, kind, { companyId: doc.companyId, scimSettingId: doc.scimSettingId }, String(doc._id), doc.version, 'reconcile');
      queued += 1;
    }
  }
  if (queued) logger.info({ queued }, 'reconciler queued pending projections');
  return queued;
}
