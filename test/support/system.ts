import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import { loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { connectDatabase, type Database } from '../../src/db/connect';
import { Producer, type QueueNames } from '../../src/queue/producer';
import { ScimUserStore } from '../../src/store/scim-users';
import { ScimGroupStore } from '../../src/store/scim-groups';
import { createWebApp } from '../../src/http/app';
import { createRedis, type RedisClient } from '../../src/queue/redis';
import { queuePrefixFor } from '../../src/queue/hash-tag';
import type { IntakeContext } from '../../src/http/context';
import { startWorkers, type WorkerOptions } from '../../workers/runtime';
import type { WorkerContext } from '../../workers/context';
import { DueSweep } from '../../workers/due-sweep';
import { intakeMetrics, type IntakeMetrics } from '../../src/metrics/intake-metrics';
import { countMongoFailures, countRedisErrors } from '../../src/metrics/dependency-errors';
import { dropDatabase, freshDatabaseName, testMongoUri } from './database';
import { freshQueueName, testRedisUrl } from './redis';

/** Worker settings a test may change: BullMQ's lock and stalled-check timings, concurrency. */
export type WorkerTuning = Partial<Pick<WorkerOptions, 'concurrency' | 'lockDurationMs' | 'stalledIntervalMs'>>;

export interface SystemOptions {
  /** Worker instances started on the same queue (each with its own Redis connection). */
  workers?: number;
  concurrency?: number;
  env?: Record<string, string>;
  /** Where intake and workers log (default: silent, or TEST_LOG_LEVEL to stdout). */
  logger?: Logger;
  /**
   * A REDIS_URL of any form (a private cluster or Sentinel, test/support/private-redis-deployments.ts):
   * its clients are then built as the product builds them (src/queue/redis.ts). By default the
   * suite's Redis, with the clients the other tests have always used.
   */
  redisUrl?: string;
}

/**
 * The whole pipeline in one test process, on the real services global-setup started:
 * the intake app (for supertest), a producer, and BullMQ workers, in a database of the
 * test file's own; `freshQueues()` gives each test queues of its own.
 */
export class TestSystem {
  app!: Express;
  producer!: Producer;
  queueNames!: QueueNames;
  /** Redis keys of this system (queues, failed-token counts) never meet another test file's. */
  private readonly ownPrefix: string;
  /** BullMQ key prefix of the current queues. */
  queuePrefix: string;
  private workers: Worker[] = [];
  private redisClients: RedisClient[] = [];
  readonly logger: Logger;
  readonly config;
  /** The web process's metrics, one for the system as main.ts makes one per process: every app it builds reports to it. */
  readonly metrics: IntakeMetrics;

  private constructor(
    readonly database: Database,
    readonly dbName: string,
    private readonly options: SystemOptions,
  ) {
    this.config = loadConfig({ NODE_ENV: 'test', ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }), ...options.env });
    this.logger = options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'test');
    this.metrics = intakeMetrics({ queues: () => Object.values(this.producer.queues), models: database.models });
    countMongoFailures(this.metrics.dependencyErrors, database.connection.getClient());
    this.ownPrefix = this.prefixOnRedis(freshQueueName('test'));
    this.queuePrefix = this.ownPrefix;
  }

  /** A prefix as the product would use it on this system's Redis: hash-tagged on a cluster. */
  private prefixOnRedis(prefix: string): string {
    const used = queuePrefixFor(prefix, this.config.redis);
    if (used === undefined) throw new Error(`no hash tag can be made for ${prefix}`);
    return used;
  }

  static async start(name: string, options: SystemOptions = {}): Promise<TestSystem> {
    const dbName = freshDatabaseName(name);
    const database = await connectDatabase(testMongoUri(), dbName);
    const system = new TestSystem(database, dbName, options);
    await system.freshQueues();
    return system;
  }

  get models() {
    return this.database.models;
  }

  private redis(role: 'producer' | 'consumer'): RedisClient {
    const client =
      this.config.redis === undefined
        ? new Redis(testRedisUrl(), role === 'producer' ? { maxRetriesPerRequest: 1, enableOfflineQueue: false } : { maxRetriesPerRequest: null })
        : createRedis(this.config.redis, role, this.logger);
    this.redisClients.push(client);
    return client;
  }

  /**
   * New queues (and a new app and producer on them), then the configured workers. By default
   * the names are unique; a test that runs a worker process (which uses the default queue
   * names) passes a unique `prefix` and those names instead.
   */
  async freshQueues(queues: { prefix?: string; names?: QueueNames } = {}): Promise<void> {
    await this.stopQueues();
    this.queuePrefix = queues.prefix === undefined ? this.ownPrefix : this.prefixOnRedis(queues.prefix);
    this.queueNames = queues.names ?? { projection: freshQueueName('projection'), maintenance: freshQueueName('maintenance') };
    const producerRedis = this.redis('producer');
    await new Promise((resolve) => producerRedis.once('ready', resolve));
    countRedisErrors(this.metrics.dependencyErrors, producerRedis, 'producer');
    this.producer = new Producer(producerRedis, this.queueNames, this.queuePrefix, this.logger);
    this.app = this.intakeWith(this.producer);
    this.startWorkers(this.options.workers ?? 1);
  }

  /**
   * The environment for a `worker:` process (workers/main.ts) on this database and the current
   * queues, which must have the default queue names (see freshQueues).
   */
  workerProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const mongoUri = new URL(testMongoUri());
    mongoUri.pathname = `/${this.dbName}`;
    return { PATH: process.env.PATH, NODE_ENV: 'test', MONGODB_URI: mongoUri.toString(), REDIS_URL: this.options.redisUrl ?? testRedisUrl(), QUEUE_PREFIX: this.queuePrefix, ...extra };
  }

  /** The intake app on this database with another producer (e.g. one whose Redis is down), config, logger or metrics. */
  intakeWith(producer: Producer, overrides: Partial<Pick<IntakeContext, 'config' | 'logger' | 'metrics'>> = {}): Express {
    const ctx: IntakeContext = {
      config: this.config,
      logger: this.logger,
      metrics: this.metrics,
      ...overrides,
      models: this.models,
      producer,
      users: new ScimUserStore(this.models),
      groups: new ScimGroupStore(this.models),
    };
    return createWebApp(ctx);
  }

  /** Failed projection runs per SCIM setting (hex id), as the in-process workers saw them. */
  readonly projectionFailures = new Map<string, number>();

  /** The context the in-process workers run with; `onBatch` lets a test watch projection batches. */
  workerContext(onBatch?: WorkerContext['onBatch']): WorkerContext {
    return {
      models: this.models,
      logger: this.logger,
      producer: this.producer,
      users: new ScimUserStore(this.models),
      groups: new ScimGroupStore(this.models),
      projectionLeaseMs: this.config.projectionLeaseMs,
      onBatch,
      onFailure: (tenant) => {
        const key = tenant.scimSettingId.toHexString();
        this.projectionFailures.set(key, (this.projectionFailures.get(key) ?? 0) + 1);
      },
    };
  }

  /** Workers (each with its own Redis connection) and, as the worker process has, a due sweep. */
  startWorkers(count: number, tuning: WorkerTuning = {}, onBatch?: WorkerContext['onBatch']): void {
    for (let i = 0; i < count; i += 1) {
      this.workers.push(
        ...startWorkers(this.workerContext(onBatch), {
          connection: this.redis('consumer'),
          queueNames: this.queueNames,
          prefix: this.queuePrefix,
          concurrency: this.options.concurrency ?? 4,
          ...tuning,
        }),
      );
    }
    if (count > 0 && !this.sweeping) {
      const sweep = new DueSweep(this.models, this.producer, this.logger);
      this.sweeping = setInterval(() => void sweep.run().catch(() => undefined), 1000);
    }
  }

  private sweeping: NodeJS.Timeout | undefined;

  async stopWorkers(): Promise<void> {
    clearInterval(this.sweeping);
    this.sweeping = undefined;
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }

  /**
   * Resolves once nothing is left to project: the queues are idle and no due record is left
   * but those of failing projections (they wait out their backoff).
   */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const looked = Date.now();
      const counts = await Promise.all(
        Object.values(this.producer.queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
      );
      // One record looked for, not counted: FerretDB counts in its own process (seconds for thousands),
      // and a busy count loop would take a core from the projection it waits for.
      const left = await this.models.ProjectionDue.collection.find({ attempts: 0 }, { projection: { resourceId: 1, version: 1, operation: 1, notBefore: 1 } }).limit(5).toArray();
      if (left.length === 0 && counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      if (Date.now() > deadline) throw new Error(`projections not idle after ${timeoutMs} ms: due ${JSON.stringify(left)}…, queues ${JSON.stringify(counts)}`);
      // As long again as the look took (at least 25 ms): at most half a core spent watching.
      await new Promise((r) => setTimeout(r, Math.max(25, Date.now() - looked)));
    }
  }

  private async stopQueues(): Promise<void> {
    await this.stopWorkers();
    if (this.producer) {
      await Promise.all(Object.values(this.producer.queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await this.producer.close();
    }
    // A client that cannot reach Redis refuses quit() and would reconnect for ever: disconnect it.
    await Promise.all(this.redisClients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
  }

  async stop(): Promise<void> {
    await this.stopQueues();
    await this.database.connection.close();
    await dropDatabase(testMongoUri(), this.dbName);
  }
}
