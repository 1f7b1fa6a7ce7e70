import { Types } from 'mongoose';
import type { JobPayload } from '../../src/queue/contracts';
import { projectionDue } from '../../src/store/projection-due';
import { wakeProjection } from '../../src/store/outbox';
import { settingResyncs } from '../../src/store/setting-resyncs';
import type { WorkerContext } from '../context';

type Payload = JobPayload<'maintenance', 'resync-setting'>;

/**
 * After an admin changes a setting's mappings or grouping, or asks for a re-sync: every SCIM
 * User and Group of the setting becomes due again, to be projected from its stored state under
 * the new rules. The records name the rules version, so a second save is a second re-sync, not a
 * duplicate. Once they are all stored, the re-sync itself is stored (src/store/setting-resyncs.ts):
 * its progress is its records still due, and the setting's projection stamps its finish.
 */
export async function resyncSetting(ctx: WorkerContext, payload: Payload, requestedAt: Date): Promise<{ due: number }> {
  const tenant = { companyId: new Types.ObjectId(payload.companyId), scimSettingId: new Types.ObjectId(payload.scimSettingId) };
  const recorded = { User: 0, Group: 0 };
  for (const [kind, store] of [
    ['Group', ctx.groups],
    ['User', ctx.users],
  ] as const) {
    const ids = await store.allIds(tenant);
    const works = ids.map((resourceId) => ({ kind, resourceId, version: 0, operation: 'resync', resync: payload.rulesVersion, requestId: payload.requestId ?? null }));
    await projectionDue.recordMany(ctx.models, tenant, works, `r${payload.rulesVersion}`);
    recorded[kind] = ids.length;
  }
  await settingResyncs.recorded(ctx.models, tenant, { rulesVersion: payload.rulesVersion, requestedAt, recordedAt: new Date(), users: recorded.User, groups: recorded.Group });
  await wakeProjection(ctx.producer, ctx.logger, tenant, payload.requestId);
  const due = recorded.User + recorded.Group;
  ctx.logger.info({ scimSettingId: payload.scimSettingId, requestId: payload.requestId, due }, 're-sync recorded');
  return { due };
}
