import type { Worker } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The operations of a due record that name an IdP's write (re-syncs and group moves do not). */
const SCIM_WRITES = new Set(['create', 'replace', 'patch', 'delete']);

/** A committed projection batch, as the worker reports it (workers/context.ts BatchReport). */
export interface ObservedBatch {
  endedAt: number;
  /** Due records read. */
  size: number;
  /** The due records it finished. */
  finished: readonly { kind: string; operation: string; createdAt: Date }[];
}

export interface ProjectionMetrics {
  runs: Counter<'outcome'>;
  batchSize: Histogram;
  writeToProjection: Histogram<'resource_type'>;
}

export function projectionMetrics(registry: Registry): ProjectionMetrics {
  return {
    runs: new Counter({
      name: 'scim_projection_runs_total',
      help: "A SCIM setting's projection runs, by outcome: projected (until nothing was due), skipped (another worker held the lease), failed.",
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'scim_projection_batch_size',
      help: 'Due records read by a committed projection batch.',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2000, 5000],
      registers: [registry],
    }),
    writeToProjection: new Histogram({
      name: 'scim_projection_write_to_projection_seconds',
      help: "Time from a SCIM write (its due record) to the batch that projected it, by resource type; backoff after failures included.",
      labelNames: ['resource_type'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
  };
}

/** Meant for the worker context's `onBatch`. */
export function observeBatch(metrics: ProjectionMetrics, batch: ObservedBatch): void {
  metrics.batchSize.observe(batch.size);
  for (const record of batch.finished) {
    if (!SCIM_WRITES.has(record.operation)) continue;
    metrics.writeToProjection.observe({ resource_type: record.kind }, Math.max(0, (batch.endedAt - record.createdAt.getTime()) / 1000));
  }
}

/** Counts the outcome of each `project-setting` job, which is one projection run (workers/runtime.ts returns `{ projected }`). */
export function countProjectionRuns(metrics: ProjectionMetrics, workers: readonly Worker[]): void {
  for (const worker of workers) {
    worker.on('completed', (job, result: { projected?: boolean } | undefined) => {
      if (job.name === 'project-setting') metrics.runs.inc({ outcome: result?.projected === false ? 'skipped' : 'projected' });
    });
    worker.on('failed', (job) => {
      if (job?.name === 'project-setting') metrics.runs.inc({ outcome: 'failed' });
    });
  }
}
