import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Models } from '../models';
import { dependencyErrorCounters, type DependencyErrors } from './dependency-errors';
import { dueWorkSource, registerDueWork } from './due-work';
import { queueJobsSource, registerQueueJobs } from './queue-jobs';
import { registerSourcesUp } from './scrape-sources';

/** What a process's scrape-time figures are read from. */
export interface MetricsSources {
  /** The process's queues (its producer's), asked anew at each scrape. */
  queues: () => readonly Queue[];
  models: Models;
}

/** What every process (web, worker) exports. */
export interface ProcessMetrics {
  registry: Registry;
  dependencyErrors: DependencyErrors;
}

/**
 * A registry of the process's own, never prom-client's global one, so tests can run a web app
 * and other processes' metrics side by side in one jest process: Node's process figures (CPU,
 * memory, event loop lag, GC, handles), Redis and MongoDB errors, and, read at scrape time
 * within a bound, the queues' job counts and the projection work still due. Every process
 * exports the last two, read from the shared Redis and MongoDB: a deployment whose workers are
 * all down still shows its work piling up.
 */
export function processMetrics(sources: MetricsSources): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const queues = queueJobsSource(sources.queues);
  const due = dueWorkSource(sources.models);
  registerQueueJobs(registry, queues);
  registerDueWork(registry, due);
  registerSourcesUp(registry, [queues, due]);
  return { registry, dependencyErrors: dependencyErrorCounters(registry) };
}
