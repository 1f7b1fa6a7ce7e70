import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueNames } from '../src/queue/producer';
import { parsePayload } from '../src/queue/contracts';
import type { ProjectionOutcome, WorkerContext } from './context';
import { projectUser } from './processors/project-user';
import { projectGroup } from './processors/project-group';
import { LeaseBusyError } from './processors/group-lease';
import { resyncSetting } from './processors/resync-setting';
import { recordSyncActivity } from './sync-log';

export interface WorkerOptions {
  connection: Redis;
  queueNames: QueueNames;
  prefix: string;
  concurrency: number;
}

/** How long a group projection waits when another job holds the group's lease. */
const LEASE_RETRY_MS = 250;

const resourceTypeOf = (job: Job) => (job.name === 'project-group' ? 'Group' : 'User');

function logOutcomes(ctx: WorkerContext, worker: Worker, onFinalFailure?: (job: Job, err: Error) => Promise<void>): void {
  worker.on('completed', (job, result: { outcome?: string }) => {
    ctx.logger.info({ queue: job.queueName, job: job.name, jobId: job.id, outcome: result?.outcome, ms: (job.finishedOn ?? Date.now()) - job.timestamp }, 'job done');
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    ctx.logger[final ? 'error' : 'warn'](
      { queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade, err: err.message },
      final ? 'job failed for good' : 'job failed, will retry',
    );
    if (final && onFinalFailure) void onFinalFailure(job, err).catch((e: Error) => ctx.logger.error({ err: e.message }, 'could not record failed job'));
  });
  worker.on('error', (err) => ctx.logger.error({ queue: worker.name, err: err.message }, 'worker error'));
}

/**
 * The worker process's consumers. Each job is logged once when it ends; a projection that
 * has used all its attempts is written to the sync activity as failed and stays in BullMQ's
 * failed set, while other resources' jobs go on.
 */
export function startWorkers(ctx: WorkerContext, options: WorkerOptions): Worker[] {
  const common = { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, maxStalledCount: 5 };

  const projection = new Worker(
    options.queueNames.projection,
    async (job: Job, token?: string): Promise<ProjectionOutcome> => {
      const payload = parsePayload('projection', 'project-user', job.data);
      let result: ProjectionOutcome;
      try {
        result = job.name === 'project-group' ? await projectGroup(ctx, payload, `${job.id}:${token ?? ''}`) : await projectUser(ctx, payload);
      } catch (err) {
        if (!(err instanceof LeaseBusyError)) throw err;
        // Waiting for the lease is not a failure: it must not use up the job's attempts.
        await job.moveToDelayed(Date.now() + LEASE_RETRY_MS, token);
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
    async (job: Job) => resyncSetting(ctx, parsePayload('maintenance', 'resync-setting', job.data)),
    { ...common, concurrency: 1 },
  );
  logOutcomes(ctx, maintenance);
  return [projection, maintenance];
}
