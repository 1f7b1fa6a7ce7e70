import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueNames } from '../src/queue/producer';
import { parsePayload } from '../src/queue/contracts';
import type { ProjectionOutcome, WorkerContext } from './context';
import { projectUser } from './processors/project-user';
import { recordSyncActivity } from './sync-log';

export interface WorkerOptions {
  connection: Redis;
  queueNames: QueueNames;
  prefix: string;
  concurrency: number;
}

/**
 * The worker process's consumers. Each job is logged once when it ends; a job that has used
 * all its attempts is written to the sync activity as failed and stays in BullMQ's failed
 * set, while other resources' jobs go on.
 */
export function startWorkers(ctx: WorkerContext, options: WorkerOptions): Worker[] {
  const projection = new Worker(
    options.queueNames.projection,
    async (job: Job): Promise<ProjectionOutcome> => {
      const resourceType = job.name === 'project-group' ? 'Group' : 'User';
      const payload = parsePayload('projection', 'project-user', job.data);
      const result = await projectUser(ctx, payload);
      await recordSyncActivity(ctx.models, resourceType, payload, result.outcome, { changes: result.changes, jobId: job.id });
      return result;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      // A worker killed mid-job leaves a stalled job that another worker picks up again.
      maxStalledCount: 5,
    },
  );

  projection.on('completed', (job, result: ProjectionOutcome) => {
    ctx.logger.info({ queue: job.queueName, job: job.name, jobId: job.id, outcome: result.outcome, ms: (job.finishedOn ?? Date.now()) - job.timestamp }, 'job done');
  });
  projection.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    ctx.logger[final ? 'error' : 'warn']({ queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade, err: err.message }, final ? 'job failed for good' : 'job failed, will retry');
    if (!final) return;
    const payload = parsePayload('projection', 'project-user', job.data);
    void recordSyncActivity(ctx.models, job.name === 'project-group' ? 'Group' : 'User', payload, 'failed', { error: err.message, jobId: job.id }).catch(
      (e: Error) => ctx.logger.error({ err: e.message }, 'could not record failed job'),
    );
  });
  projection.on('error', (err) => ctx.logger.error({ err: err.message }, 'projection worker error'));
  return [projection];
}
