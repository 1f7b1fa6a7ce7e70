import { Types } from 'mongoose';
import type { JobPayload } from '../../src/queue/contracts';
import { queueProjection } from '../../src/store/outbox';
import type { WorkerContext } from '../context';

type Payload = JobPayload<'maintenance', 'resync-setting'>;

/**
 * After an admin changes a setting's mappings or grouping criteria: every SCIM User and
 * Group of the setting is projected again from its stored SCIM state under the new rules.
 * The job ids carry the rules version, so a re-sync is never mistaken for a finished job.
 */
export async function resyncSetting(ctx: WorkerContext, payload: Payload): Promise<{ queued: number }> {
  const scimSettingId = new Types.ObjectId(payload.scimSettingId);
  const tenant = { companyId: new Types.ObjectId(payload.companyId), scimSettingId };
  let queued = 0;
  for (const [kind, model] of [
    ['User', ctx.models.ScimUserResource],
    ['Group', ctx.models.ScimGroupResource],
  ] as const) {
    const cursor = model.collection.find({ scimSettingId }, { projection: { version: 1 } });
    for await (const doc of cursor) {
      await queueProjection(ctx.producer, ctx.logger, kind, tenant, String(doc._id), doc.version, 'resync', `r${payload.rulesVersion}`);
      queued += 1;
    }
  }
  ctx.logger.info({ scimSettingId: payload.scimSettingId, queued }, 're-sync queued');
  return { queued };
}
