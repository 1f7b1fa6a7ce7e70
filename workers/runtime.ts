import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { ZodError } from 'zod';
import type { Redis } from 'ioredis';
import type { QueueNames } from '../src/queue/producer';
import { parsePayload } from '../src/queue/contracts';
import type { ProjectionOutcome, WorkerContext } from './context';
import { projectUser } from './processors/project-user';
import { projectGroup } from './processors/project-group';
import { LeaseBusyError } from './processors/group-lease';
import { resyncSetting } from './processors/resync-setting';
import { recordSyncActivity } from './sync-log';
import { ProjectionLocks, ResourceBusyError } from './projection-lock';

export interface WorkerOptions {
  connection: Redis;
  queueNames: QueueNames;
  prefix: string;
  concurrency: number;
  /** How long a job's lock lives without renewal: a killed worker's jobs are recovered this long after it died. BullMQ's default: 30 s. */
  lockDurationMs?: number;
  /** How often this worker looks for other workers' stalled jobs. BullMQ's default: 30 s. */
  stalledIntervalMs?: number;
}

/** How long a projection steps aside when another job is projecting the same resource. */
const BUSY_RETRY_MS = 100;

const resourceTypeOf = (job: Job) => (job.name === 'project-group' ? 'Group' : 'User');

/** A job whose payload breaks its contract cannot succeed on a retry. */
function parseOrGiveUp<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ZodError) throw new UnrecoverableError(`payload breaks the job contract: ${err.message}`);
    throw err;
  }
}

/** No retry is left: attempts used up, or the error said retrying is pointless. */
const failedForGood = (job: Job, err: Error) => err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);

function logOutcomes(ctx: WorkerContext, worker: Worker, onFinalFailure?: (job: Job, err: Error) => Promise<void>): void {
  worker.on('completed', (job, result: { outcome?: string }) => {
    ctx.logger.info({ queue: job.queueName, job: job.name, jobId: job.id, outcome: result?.outcome, ms: (job.finishedOn ?? Date.now()) - job.timestamp }, 'job done');
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = failedForGood(job, err);
    ctx.logger[final ? 'error' : 'warn'](
      { queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade, err: err.message },
      final ? 'job failed for good' : 'job failed, will retry',
    );
    if (final && onFinalFailure) {
      // A listener must not throw: the error would surface inside BullMQ's failure handling.
      Promise.resolve()
        .then(() => onFinalFailure(job, err))
        .catch((e: Error) => ctx.logger.error({ jobId: job.id, err: e.message }, 'could not record failed job'));
    }
  });
  worker.on('error', (err) => ctx.logger.error({ queue: worker.name, err: err.message }, 'worker error'));
}

/**
 * The worker process's consumers. Each job is logged once when it ends; a projection that
 * has used all its attempts is written to the sync activity as failed and stays in BullMQ's
 * failed set, while other resources' jobs go on.
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

  const locks = new ProjectionLocks(options.connection, `${options.prefix}:${options.queueNames.projection}`);
  const projection = new Worker(
    options.queueNames.projection,
    async (job: Job, token?: string): Promise<ProjectionOutcome> => {
      const payload = parseOrGiveUp(() => parsePayload('projection', 'project-user', job.data));
      let result: ProjectionOutcome;
      try {
        result = await locks.run(job, token, job.name, payload.resourceId, () =>
          job.name === 'project-group'
            ? projectGroup(ctx, payload, `${job.id}:${token ?? ''}`, (ids, work) => locks.runMany(job, token, 'project-user', ids, work))
            : projectUser(ctx, payload),
        );
      } catch (err) {
        if (!(err instanceof LeaseBusyError || err instanceof ResourceBusyError)) throw err;
        // Waiting for another job of the same resource is not a failure: it must not use up
        // the job's attempts. The jitter keeps waiting jobs of one resource from waking together.
        await job.moveToDelayed(Date.now() + BUSY_RETRY_MS + Math.floor(Math.random() * BUSY_RETRY_MS), token);
        throw new DelayedError();
      }
      await recordSyncActivity(ctx.models, resourceTypeOf(job), payload, result.outcome, { changes: result.changes, jobId: job.id });
      return result;
    },
    common,
  );
  logOutcomes(ctx, projection, (job, err) =>
    recordSyncActivity(ctx.models, resourceTypeOf(job), parsePayload('projection', 'project-user', job.data), 'failed', { error: err.message, jobId: job.id }),
  );

  const maintenance = new Worker(
    options.queueNames.maintenance,
    async (job: Job) => resyncSetting(ctx, parseOrGiveUp(() => parsePayload('maintenance', 'resync-setting', job.data))),
    { ...common, concurrency: 1 },
  );
  logOutcomes(ctx, maintenance);
  return [projection, maintenance];
}
