import { z } from 'zod';

/**
 * Every queue, every job name on it, and its payload: one zod schema each, types inferred.
 * Payloads carry ids, never personal data or secrets: the worker reads what is due, and the
 * current state, from MongoDB.
 */
const objectId = z.string().regex(/^[0-9a-f]{24}$/);
/** The request that caused the job (src/http/request-id.ts), for its log lines; absent for the due sweep's wake-ups. */
const requestId = z.string().max(128).optional();

export const jobSchemas = {
  projection: {
    /** Wakes a SCIM setting's projection: the work itself is read from projection_due. */
    'project-setting': z.object({ companyId: objectId, scimSettingId: objectId, requestId }),
  },
  maintenance: {
    'resync-setting': z.object({ companyId: objectId, scimSettingId: objectId, rulesVersion: z.number().int().min(1), requestId }),
  },
} as const;

export type QueueKey = keyof typeof jobSchemas;
export type JobName<Q extends QueueKey> = keyof (typeof jobSchemas)[Q] & string;
export type JobPayload<Q extends QueueKey, N extends JobName<Q>> = z.infer<(typeof jobSchemas)[Q][N]>;

export function parsePayload<Q extends QueueKey, N extends JobName<Q>>(queue: Q, name: N, data: unknown): JobPayload<Q, N> {
  const schema = jobSchemas[queue][name] as z.ZodType<JobPayload<Q, N>>;
  return schema.parse(data);
}

/** One wake-up per setting at a time: BullMQ drops an add whose id is waiting or running. */
export const projectSettingJobId = (scimSettingId: string) => `project-setting-${scimSettingId}`;
