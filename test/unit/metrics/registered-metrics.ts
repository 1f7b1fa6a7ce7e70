import type { Models } from '../../../src/models';
import { intakeMetrics } from '../../../src/metrics/intake-metrics';
import { workerMetrics } from '../../../src/metrics/worker-metrics';

/**
 * The metrics the web and worker processes register: name → type. Nothing is scraped, so no
 * source is read and no database stands behind `models`.
 */
export function registeredMetrics(): Map<string, string> {
  const sources = { queues: () => [], models: {} as Models };
  const metrics = new Map<string, string>();
  for (const { registry } of [intakeMetrics(sources), workerMetrics(sources)]) {
    for (const metric of registry.getMetricsAsArray()) metrics.set(metric.name, String(metric.type));
  }
  return metrics;
}

/** A series name as PromQL names it (`_bucket`, `_sum`, `_count` of a histogram) → its metric. */
export function metricOfSeries(series: string, metrics: Map<string, string>): string | undefined {
  if (metrics.has(series)) return series;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return metrics.get(base) === 'histogram' ? base : undefined;
}
