import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { connectDatabase, type Database } from '../../src/db/connect';
import { Producer, type QueueNames } from '../../src/queue/producer';
import { ScimUserStore } from '../../src/store/scim-users';
import { ScimGroupStore } from '../../src/store/scim-groups';
import { createWebApp } from '../../src/http/app';
import type { IntakeContext } from '../../src/http/context';
import { startWorkers } from '../../workers/runtime';
import { dropDatabase, freshDatabaseName, testMongoUri } from './database';
import { freshQueueName, testRedisUrl } from './redis';

const PREFIX = 'test';

export interface SystemOptions {
  /** Worker instances started on the same queue (each with its own Redis connection). */
  workers?: number;
  concurrency?: number;
  env?: Record<string, string>;
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
  private workers: Worker[] = [];
  private redisClients: Redis[] = [];
  readonly logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'test');
  readonly config;

  private constructor(
    readonly database: Database,
    readonly dbName: string,
    private readonly options: SystemOptions,
  ) {
    this.config = loadConfig({ NODE_ENV: 'test', ...options.env });
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

  private redis(role: 'producer' | 'consumer'): Redis {
    const client = new Redis(testRedisUrl(), role === 'producer' ? { maxRetriesPerRequest: 1, enableOfflineQueue: false } : { maxRetriesPerRequest: null });
    this.redisClients.push(client);
    return client;
  }

  async freshQueues(): Promise<void> {
    await this.stopQueues();
    this.queueNames = { projection: freshQueueName('projection'), maintenance: freshQueueName('maintenance') };
    const producerRedis = this.redis('producer');
    await new Promise((resolve) => producerRedis.once('ready', resolve));
    this.producer = new Producer(producerRedis, this.queueNames, PREFIX, this.logger);
    const ctx: IntakeContext = { config: this.config, logger: this.logger, models: this.models, producer: this.producer, users: new ScimUserStore(this.models), groups: new ScimGroupStore(this.models) };
    this.app = createWebApp(ctx);
    this.startWorkers(this.options.workers ?? 1);
  }

  startWorkers(count: number): void {
    for (let i = 0; i < count; i += 1) {
      this.workers.push(
        ...startWorkers(
          { models: this.models, logger: this.logger, producer: this.producer },
          { connection: this.redis('consumer'), queueNames: this.queueNames, prefix: PREFIX, concurrency: this.options.concurrency ?? 4 },
        ),
      );
    }
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }

  /** Resolves once every queued projection has finished (completed or failed for good). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(
        Object.values(this.producer.queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
      );
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      if (Date.now() > deadline) throw new Error(`queues not idle after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private async stopQueues(): Promise<void> {
    await this.stopWorkers();
    if (this.producer) {
      await Promise.all(Object.values(this.producer.queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await this.producer.close();
    }
    await Promise.all(this.redisClients.splice(0).map((c) => c.quit().catch(() => undefined)));
  }

  async stop(): Promise<void> {
    await this.stopQueues();
    await this.database.connection.close();
    await dropDatabase(testMongoUri(), this.dbName);
  }
}
