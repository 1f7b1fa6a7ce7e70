import { z } from 'zod';

/**
 * Every queue, every job name on it, and its payload: one zod schema each, types inferred.
 * Payloads carry ids, the version to project and the IdP operation, never personal data
 * or secrets: the worker reads the current state from MongoDB.
 */
const objectId = z.string().regex(/^[0-9a-f]{24}$/);
const resourceId = z.string().min(1).max(64);

export const scimOperation = z.enum(['create', 'replace', 'patch', 'delete', 'reconcile', 'resync']);
export type ScimOperation = z.infer<typeof scimOperation>;

const projectResource = z.object({
  companyId: objectId,
  scimSettingId: objectId,
  resourceId,
  version: z.number().int().min(1),
  operation: scimOperation,
});

export const jobSchemas = {
  projection: {
    'project-user': projectResource,
    'project-group': projectResource,
  },
  maintenance: {
    'resync-setting': z.object({ companyId: objectId, scimSettingId: objectId, rulesVersion: z.number().int().min(1) }),
  },
} as const;

export type QueueKey = keyof typeof jobSchemas;
export type JobName<Q extends QueueKey> = keyof (typeof jobSchemas)[Q] & string;
export type JobPayload<Q extends QueueKey, N extends JobName<Q>> = z.infer<(typeof jobSchemas)[Q][N]>;

export function parsePayload<Q extends QueueKey, N extends JobName<Q>>(queue: Q, name: N, data: unknown): JobPayload<Q, N> {
  const schema = jobSchemas[queue][name] as z.ZodType<JobPayload<Q, N>>;
  return schema.parse(data);
}

/**
 * BullMQ drops a job whose id already exists, so a duplicate of the same version is free;
 * once a job is removed the id is reusable, and the version check in MongoDB keeps replays harmless.
 */
export const projectionJobId = (name: JobName<'projection'>, resourceId: string, version: number, cause?: string) =>
  `${name}-${resourceId}-v${version}${cause === undefined ? '' : `-${cause}`}`;
