import { Gauge, type Registry } from 'prom-client';

/** A server a scrape reads from, through a bounded read (bounded-read.ts): undefined means it did not answer in time. */
export interface ScrapeSource<T = unknown> {
  name: 'redis' | 'mongodb';
  read: () => Promise<T | undefined>;
}

/**
 * `scim_metrics_source_up{source}`: 1 when the source answered this scrape, 0 when it failed or
 * did not answer in time (its gauges are then absent from the scrape, not stale).
 */
export function registerSourcesUp(registry: Registry, sources: readonly ScrapeSource[]): void {
  new Gauge({
    name: 'scim_metrics_source_up',
    help: 'Whether a server answered this scrape in time (1) or not (0); its gauges are absent when it did not.',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      const answered = await Promise.all(sources.map(async (source) => [source.name, (await source.read()) !== undefined] as const));
      for (const [source, up] of answered) this.set({ source }, up ? 1 : 0);
    },
  });
}
