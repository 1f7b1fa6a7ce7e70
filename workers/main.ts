import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { connectDatabase } from '../src/db/connect';
import { createRedis, waitForRedis } from '../src/queue/redis';
import { defaultQueueNames, Producer } from '../src/queue/producer';
import { closeOnSignals, exitOnStartFailure } from '../src/lifecycle';
import { startWorkers } from './runtime';
import { DueSweep } from './due-sweep';
import type { BatchReport } from './context';
import { ScimUserStore } from '../src/store/scim-users';
import { ScimGroupStore } from '../src/store/scim-groups';
import { startProbeServer } from '../src/health/probe-server';
import { checkReadiness } from '../src/health/dependencies';
import { workerMetrics } from '../src/metrics/worker-metrics';
import { countMongoFailures, countRedisErrors } from '../src/metrics/dependency-errors';
import { countProjectionRuns, observeBatch } from '../src/metrics/projection';
import { metricsHandler } from '../src/metrics/endpoint';

/** The `worker:` process: consumes projection jobs; its producer only re-queues follow-up work. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  if (!config.mongoUri || !config.redis) {
    exitOnStartFailure(logger, 'worker', new Error('MONGODB_URI and REDIS_URL must be set (or use `npm start`, which provides both).'));
  }
  const database = await connectDatabase(config.mongoUri, undefined, undefined, logger).catch((err) => exitOnStartFailure(logger, 'worker (MongoDB)', err));
  const consumer = createRedis(config.redis, 'consumer', logger);
  const producerRedis = createRedis(config.redis, 'producer', logger);
  await Promise.all([waitForRedis(consumer), waitForRedis(producerRedis)]).catch((err) => exitOnStartFailure(logger, 'worker (Redis)', err));
  const producer = new Producer(producerRedis, defaultQueueNames, config.queuePrefix, logger);
  const metrics = workerMetrics({ queues: () => Object.values(producer.queues), models: database.models });
  countRedisErrors(metrics.dependencyErrors, consumer, 'consumer');
  countRedisErrors(metrics.dependencyErrors, producerRedis, 'producer');
  countMongoFailures(metrics.dependencyErrors, database.connection.getClient());
  const ctx = {
    models: database.models,
    logger,
    producer,
    users: new ScimUserStore(database.models),
    groups: new ScimGroupStore(database.models),
    projectionLeaseMs: config.projectionLeaseMs,
    onBatch: (report: BatchReport) => observeBatch(metrics.projection, report),
  };
  const workers = startWorkers(ctx, {
    connection: consumer,
    queueNames: defaultQueueNames,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    lockDurationMs: config.workerLockMs,
    stalledIntervalMs: config.workerStalledIntervalMs,
  });
  countProjectionRuns(metrics.projection, workers);
  const sweep = new DueSweep(database.models, producer, logger);
  const sweeping = setInterval(() => {
    sweep.run().catch((err: Error) => logger.warn({ err: err.message }, 'due sweep failed'));
  }, config.dueSweepIntervalMs);
  const probes =
    config.workerHealthPort === undefined
      ? undefined
      : await startProbeServer(config.workerHealthPort, () => checkReadiness(consumer, database.connection), metricsHandler(metrics.registry, config.metricsToken)).catch((err) =>
          exitOnStartFailure(logger, `worker (health port ${config.workerHealthPort})`, err),
        );
  logger.info({ concurrency: config.workerConcurrency, healthPort: config.workerHealthPort }, 'worker started');
  // MongoDB is not closed: the exit drops its connections. The driver's close sends
  // `endSessions` unacknowledged, and on FerretDB a command still running on that connection
  // (a request the drain cut short, a batch) would read its stray reply as its own answer.
  closeOnSignals(logger, [
    ['health endpoints', async () => probes?.close()],
    ['due sweep', async () => clearInterval(sweeping)],
    ['workers', () => Promise.all(workers.map((w) => w.close()))],
    ['queues', () => producer.close()],
    ['redis', () => Promise.all([consumer.quit(), producerRedis.quit()])],
  ]);
}

void main();
