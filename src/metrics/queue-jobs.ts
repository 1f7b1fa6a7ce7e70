import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { boundedRead } from './bounded-read';
import type { ScrapeSource } from './scrape-sources';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

type QueueCounts = { queue: string; counts: Record<string, number> }[];

/** The job counts of the process's queues, read from Redis at scrape time within the scrape bound. */
export function queueJobsSource(queues: () => readonly Queue[]): ScrapeSource<QueueCounts> {
  return {
    name: 'redis',
    read: boundedRead(() => Promise.all(queues().map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts(...STATES) })))),
  };
}

/** `scim_queue_jobs{queue,state}`: jobs waiting, active, delayed and failed, per queue. */
export function registerQueueJobs(registry: Registry, source: ScrapeSource<QueueCounts>): void {
  new Gauge({
    name: 'scim_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read from Redis at scrape time.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, counts } of (await source.read()) ?? []) {
        for (const state of STATES) this.set({ queue, state }, counts[state] ?? 0);
      }
    },
  });
}
