import { Queue, type JobsOptions } from 'bullmq';
import type { Logger } from '../logger';
import type { RedisClient } from './redis';
import { jobSchemas, parsePayload, type JobName, type JobPayload, type QueueKey } from './contracts';

export type QueueNames = Readonly<Record<QueueKey, string>>;
export const defaultQueueNames: QueueNames = Object.freeze({ projection: 'projection', maintenance: 'maintenance' });

/** Bounded history: enough to inspect recent work in the console, never an unbounded Redis. */
export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export class QueueUnavailableError extends Error {}

/** How often the producer checks that Redis still answers (a stalled Redis keeps its TCP connection). */
const PROBE_INTERVAL_MS = 1000;

/** The one way to enqueue: validates the payload against its contract and names the job. */
export class Producer {
  readonly queues: { readonly [Q in QueueKey]: Queue };

  constructor(
    /** The web process's one Redis client: the queues and the failed-token counts use it. */
    readonly redis: RedisClient,
    names: QueueNames,
    /** Every Redis key of this deployment starts with it. */
    readonly prefix: string,
    logger: Logger,
  ) {
    const make = (key: QueueKey) => {
      const queue = new Queue(names[key], { connection: redis, prefix, defaultJobOptions });
      queue.on('error', (err) => logger.warn({ queue: names[key], err: err.message }, 'queue error'));
      return queue;
    };
    this.queues = { projection: make('projection'), maintenance: make('maintenance') };
    redis.on('ready', () => {
      this.answering = true;
    });
    this.probe = setInterval(() => this.checkAnswering(), PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private answering = true;
  private probing = false;
  private readonly probe: NodeJS.Timeout;

  /**
   * A PING that fails (the client's command timeout, src/queue/redis.ts) marks Redis as not
   * answering until one succeeds: writes then get their 503 before anything is stored.
   */
  private checkAnswering(): void {
    if (this.probing || this.redis.status !== 'ready') return;
    this.probing = true;
    this.redis
      .ping()
      .then(
        () => {
          this.answering = true;
        },
        () => {
          this.answering = false;
        },
      )
      .finally(() => {
        this.probing = false;
      });
  }

  /** Fail fast: a write must not be accepted while its job cannot be queued. */
  get ready(): boolean {
    return this.redis.status === 'ready' && this.answering;
  }

  async enqueue<Q extends QueueKey, N extends JobName<Q>>(
    queue: Q,
    name: N,
    payload: JobPayload<Q, N>,
    options: Pick<JobsOptions, 'jobId' | 'attempts' | 'removeOnComplete' | 'removeOnFail'> = {},
  ): Promise<void> {
    if (!this.ready) throw new QueueUnavailableError('Redis is not reachable');
    const data = parsePayload(queue, name, payload);
    await this.queues[queue].add(name, data, options);
  }

  async close(): Promise<void> {
    clearInterval(this.probe);
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}

export const queueKeys = Object.keys(jobSchemas) as QueueKey[];
