import type { Logger } from '../logger';
import type { Producer } from '../queue/producer';
import { projectSettingJobId } from '../queue/contracts';
import type { Tenant } from './tenant';

/**
 * After a write (its due record already stored): wake the setting's projection. A wake-up is
 * only a nudge: while the setting's job waits or runs, BullMQ drops the duplicate, and if
 * Redis fails right now the worker's due sweep finds the record and wakes the projection itself.
 * The job names the request that woke it (a later request's wake-up, dropped as a duplicate,
 * is found through its own due record and sync activity instead).
 */
export async function wakeProjection(producer: Producer, logger: Logger, tenant: Tenant, requestId?: string): Promise<void> {
  const scimSettingId = tenant.scimSettingId.toHexString();
  try {
    await producer.enqueue(
      'projection',
      'project-setting',
      { companyId: tenant.companyId.toHexString(), scimSettingId, ...(requestId === undefined ? {} : { requestId }) },
      // Removed as soon as it ends, so the next wake-up is never taken for its duplicate (BullMQ drops
      // an add whose id it still holds, failed or not). Not retried by BullMQ: the due sweep wakes a
      // failed setting again, and the worker logs the failure.
      { jobId: projectSettingJobId(scimSettingId), attempts: 1, removeOnComplete: true, removeOnFail: true },
    );
  } catch (err) {
    logger.warn({ err: (err as Error).message, scimSettingId, requestId }, 'projection not woken; the due sweep will wake it');
  }
}
