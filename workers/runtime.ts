import { Types } from 'mongoose';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { ZodError } from 'zod';
import type { QueueNames } from '../src/queue/producer';
import type { RedisClient } from '../src/queue/redis';
import { parsePayload } from '../src/queue/contracts';
import type { WorkerContext } from './context';
import { projectSetting } from './projection/project-setting';
import { resyncSetting } from './projection/resync-setting';

export interface WorkerOptions {
  connection: RedisClient;
  queueNames: QueueNames;
  prefix: string;
  /** Settings projected at once by this worker process. */
  concurrency: number;
  /** How long a job's lock lives without renewal: a killed worker's jobs are recovered this long after it died. BullMQ's default: 30 s. */
  lockDurationMs?: number;
  /** How often this worker looks for other workers' stalled jobs. BullMQ's default: 30 s. */
  stalledIntervalMs?: number;
}

/** A job whose payload breaks its contract cannot succeed on a retry. */
function parseOrGiveUp<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ZodError) throw new UnrecoverableError(`payload breaks the job contract: ${err.message}`);
    throw err;
  }
}

/** What a job's log line says about it: which setting, and which request caused it (read loosely: a broken payload is logged too). */
function jobFields(job: Job): Record<string, unknown> {
  const data = (job.data ?? {}) as { scimSettingId?: unknown; requestId?: unknown };
  return { queue: job.queueName, job: job.name, jobId: job.id, scimSettingId: data.scimSettingId, requestId: data.requestId };
}

function logOutcomes(ctx: WorkerContext, worker: Worker): void {
  worker.on('completed', (job, result: unknown) => {
    ctx.logger.info({ ...jobFields(job), result, ms: (job.finishedOn ?? Date.now()) - job.timestamp }, 'job done');
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    ctx.logger.warn({ ...jobFields(job), attempt: job.attemptsMade, err: err.message }, 'job failed');
  });
  worker.on('error', (err) => ctx.logger.error({ queue: worker.name, err: err.message }, 'worker error'));
}

const tenantOf = (payload: { companyId: string; scimSettingId: string }) => ({ companyId: new Types.ObjectId(payload.companyId), scimSettingId: new Types.ObjectId(payload.scimSettingId) });

/**
 * The worker process's consumers. A projection job only wakes its setting's projection, which
 * reads what is due from MongoDB; when it fails (the database away), the due records stay and
 * the due sweep wakes it again, so the job itself is not retried.
 */
export function startWorkers(ctx: WorkerContext, options: WorkerOptions): Worker[] {
  const common = {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    maxStalledCount: 5,
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
  };

  const projection = new Worker(
    options.queueNames.projection,
    async (job: Job) => {
      const tenant = tenantOf(parseOrGiveUp(() => parsePayload('projection', 'project-setting', job.data)));
      try {
        return { projected: await projectSetting(ctx, tenant) };
      } catch (err) {
        ctx.onFailure?.(tenant, err as Error);
        throw err;
      }
    },
    common,
  );
  logOutcomes(ctx, projection);

  const maintenance = new Worker(
    options.queueNames.maintenance,
    async (job: Job) => resyncSetting(ctx, parseOrGiveUp(() => parsePayload('maintenance', 'resync-setting', job.data)), new Date(job.timestamp)),
    { ...common, concurrency: 1 },
  );
  logOutcomes(ctx, maintenance);
  return [projection, maintenance];
}
