import { Gauge, type Registry } from 'prom-client';
import type { Models } from '../models';
import { projectionDue, type DueBacklog } from '../store/projection-due';
import { boundedRead } from './bounded-read';
import type { ScrapeSource } from './scrape-sources';

/** The projection work still due in MongoDB, read at scrape time within the scrape bound. */
export function dueWorkSource(models: Models): ScrapeSource<DueBacklog> {
  return { name: 'mongodb', read: boundedRead(() => projectionDue.backlog(models)) };
}

/**
 * `scim_projection_due_records{state}` and `scim_projection_due_oldest_age_seconds{state}`, for
 * every setting together; state `pending` (not failed yet) or `failing` (retrying with backoff),
 * so one user whose data cannot be projected does not hide a stalled projection.
 */
export function registerDueWork(registry: Registry, source: ScrapeSource<DueBacklog>): void {
  const each = async (set: (state: keyof DueBacklog, part: DueBacklog[keyof DueBacklog]) => void) => {
    const backlog = await source.read();
    if (!backlog) return;
    for (const state of ['pending', 'failing'] as const) set(state, backlog[state]);
  };
  new Gauge({
    name: 'scim_projection_due_records',
    help: 'Due records in MongoDB (projection work not done yet), all SCIM settings; state pending or failing.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await each((state, part) => this.set({ state }, part.count));
    },
  });
  new Gauge({
    name: 'scim_projection_due_oldest_age_seconds',
    help: 'Age of the oldest due record (0 when none), all SCIM settings; state pending or failing.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = Date.now();
      await each((state, part) => this.set({ state }, part.oldest === null ? 0 : Math.max(0, (now - part.oldest.getTime()) / 1000)));
    },
  });
}
