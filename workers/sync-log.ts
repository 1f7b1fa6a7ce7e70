import { Types } from 'mongoose';
import type { Models } from '../src/models';
import type { JobPayload } from '../src/queue/contracts';
import type { SyncOutcome } from '../src/models/sync-activity';

type ProjectionPayload = JobPayload<'projection', 'project-user'>;

const OPERATION_LABELS: Record<ProjectionPayload['operation'], string> = {
  create: 'POST',
  replace: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  reconcile: 'RECONCILE',
  resync: 'RESYNC',
};

/** One sync activity line per projection job: what the IdP did, to what, and how it ended. */
export async function recordSyncActivity(
  models: Models,
  resourceType: 'User' | 'Group',
  payload: ProjectionPayload,
  outcome: SyncOutcome,
  details: { changes?: string[]; error?: string; jobId?: string },
): Promise<void> {
  await models.SyncActivity.collection.insertOne({
    companyId: new Types.ObjectId(payload.companyId),
    scimSettingId: new Types.ObjectId(payload.scimSettingId),
    at: new Date(),
    operation: `${OPERATION_LABELS[payload.operation]} /${resourceType}s/${payload.resourceId}`,
    resourceType,
    resourceId: payload.resourceId,
    version: payload.version,
    outcome,
    changes: details.changes ?? [],
    error: details.error ?? null,
    jobId: details.jobId ?? null,
  } as never);
}
