import { processMetrics, type MetricsSources, type ProcessMetrics } from './process-metrics';
import { projectionMetrics, type ProjectionMetrics } from './projection';

/** The worker process's metrics: every process's, and its projections'. */
export interface WorkerMetrics extends ProcessMetrics {
  projection: ProjectionMetrics;
}

export function workerMetrics(sources: MetricsSources): WorkerMetrics {
  const base = processMetrics(sources);
  return { ...base, projection: projectionMetrics(base.registry) };
}
