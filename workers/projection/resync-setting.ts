import { Types } from 'mongoose';
import type { JobPayload } from '../../src/queue/contracts';
import { projectionDue } from '../../src/store/projection-due';
import { wakeProjection } from '../../src/store/outbox';
import type { WorkerContext } from '../context';

type Payload = JobPayload<'maintenance', 'resync-setting'>;

/**
 * After an admin changes a setting's mappings or grouping: every SCIM User and Group of the
 * setting becomes due again, to be projected from its stored state under the new rules. The
 * records name the rules version, so a second save is a second re-sync, not a duplicate.
 */
export async function resyncSetting(ctx: WorkerContext, payload: Payload): Promise<{ due: number }> {
  const tenant = { companyId: new Types.ObjectId(payload.companyId), scimSettingId: new Types.ObjectId(payload.scimSettingId) };
  let due = 0;
  for (const [kind, model] of [
    ['Group', ctx.models.ScimGroupResource],
    ['User', ctx.models.ScimUserResource],
  ] as const) {
    const ids = await model.collection.find({ scimSettingId: tenant.scimSettingId }, { projection: { _id: 1 } }).toArray();
    await projectionDue.recordMany(ctx.models, tenant, ids.map((doc) => ({ kind, resourceId: String(doc._id), version: 0, operation: 'resync', requestId: payload.requestId ?? null })), `r${payload.rulesVersion}`);
    due += ids.length;
  }
  await wakeProjection(ctx.producer, ctx.logger, tenant, payload.requestId);
  ctx.logger.info({ scimSettingId: payload.scimSettingId, requestId: payload.requestId, due }, 're-sync recorded');
  return { due };
}
