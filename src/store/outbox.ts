import type { Logger } from '../logger';
import type { Producer } from '../queue/producer';
import { projectionJobId, type ScimOperation } from '../queue/contracts';
import type { Tenant } from './tenant';

/**
 * After a resource write: queue its projection. Should Redis fail right now, the write is
 * still stored, and the worker's reconciler finds it unprojected and queues it, so the IdP's
 * write is never lost or applied twice.
 */
export async function queueProjection(
  producer: Producer,
  logger: Logger,
  kind: 'User' | 'Group',
  tenant: Tenant,
  resourceId: string,
  version: number,
  operation: ScimOperation,
  /** What else asks for this projection (a re-sync, a group change): part of the job id, so it is not taken for the write's own job. */
  cause?: string,
): Promise<void> {
  const name = kind === 'User' ? 'project-user' : 'project-group';
  try {
    await producer.enqueue(
      'projection',
      name,
      {
        companyId: tenant.companyId.toHexString(),
        scimSettingId: tenant.scimSettingId.toHexString(),
        resourceId,
        version,
        operation,
      },
      { jobId: projectionJobId(name, resourceId, version, cause) },
    );
  } catch (err) {
    logger.warn({ err: (err as Error).message, resourceId, version }, 'projection not queued; the reconciler will queue it');
  }
}
