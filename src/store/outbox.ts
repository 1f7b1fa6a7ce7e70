import type { Logger } from '../logger';
import type { Producer } from '../queue/producer';
import { projectSettingJobId } from '../queue/contracts';
import type { Tenant } from './tenant';

/**
 * After a write (its due record already stored): wake the setting's projection. A wake-up is
 * only a nudge: while the setting's job waits or runs, BullMQ drops the duplicate, and if
 * Redis fails right now the worker's due sweep finds the record and wakes the projection itself.
 */
export async function wakeProjection(producer: Producer, logger: Logger, tenant: Tenant): Promise<void> {
  const scimSettingId = tenant.scimSettingId.toHexString();
  try {
    await producer.enqueue(
      'projection',
      'project-setting',
      { companyId: tenant.companyId.toHexString(), scimSettingId },
      // Removed as soon as it ends, so the next wake-up is never mistaken for a duplicate of a finished one.
      { jobId: projectSettingJobId(scimSettingId), removeOnComplete: true, removeOnFail: true },
    );
  } catch (err) {
    logger.warn({ err: (err as Error).message, scimSettingId }, 'projection not woken; the due sweep will wake it');
  }
}
