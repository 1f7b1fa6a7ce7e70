import type { Logger } from '../src/logger';
import type { Models } from '../src/models';
import type { Producer } from '../src/queue/producer';

/** What processors need: the database, a logger, and a producer for follow-up jobs. */
export interface WorkerContext {
  models: Models;
  logger: Logger;
  producer: Producer;
}

/** A processor's result: tiny, because BullMQ keeps it in Redis. */
export interface ProjectionOutcome {
  outcome: 'applied' | 'unchanged' | 'skipped';
  changes?: string[];
}
