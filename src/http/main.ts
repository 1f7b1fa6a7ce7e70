import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { connectDatabase, webDatabaseTimeouts } from '../db/connect';
import { createRedis, waitForRedis } from '../queue/redis';
import { defaultQueueNames, Producer } from '../queue/producer';
import { ScimUserStore } from '../store/scim-users';
import { ScimGroupStore } from '../store/scim-groups';
import { closeOnSignals, exitOnStartFailure } from '../lifecycle';
import { createWebApp } from './app';
import { gracefulClose } from './graceful-close';
import { mountAdmin } from '../../admin/mount';
import type { IntakeContext } from './context';
import { intakeMetrics } from '../metrics/intake-metrics';
import { countMongoFailures, countRedisErrors } from '../metrics/dependency-errors';

/** The `web:` process: SCIM intake (and the console). It produces jobs and never consumes them. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'web');
  if (!config.mongoUri || !config.redis) {
    exitOnStartFailure(logger, 'web', new Error('MONGODB_URI and REDIS_URL must be set (or use `npm start`, which provides both).'));
  }
  const database = await connectDatabase(config.mongoUri, undefined, webDatabaseTimeouts, logger).catch((err) => exitOnStartFailure(logger, 'web (MongoDB)', err));
  const redis = createRedis(config.redis, 'producer', logger);
  await waitForRedis(redis).catch((err) => exitOnStartFailure(logger, 'web (Redis)', err));
  const producer = new Producer(redis, defaultQueueNames, config.queuePrefix, logger);
  const metrics = intakeMetrics({ queues: () => Object.values(producer.queues), models: database.models });
  countRedisErrors(metrics.dependencyErrors, redis, 'producer');
  countMongoFailures(metrics.dependencyErrors, database.connection.getClient());
  const ctx: IntakeContext = { config, logger, models: database.models, producer, users: new ScimUserStore(database.models), groups: new ScimGroupStore(database.models), metrics };
  const app = createWebApp(ctx);
  const admin = await mountAdmin(app, { config, logger, models: database.models, producer, connection: database.connection }).catch((err) =>
    exitOnStartFailure(logger, 'web (admin console)', err),
  );
  const server = app.listen(config.port, () => logger.info({ port: config.port }, 'web listening'));
  const closeServer = gracefulClose(server);
  // MongoDB is not closed: the exit drops its connections. The driver's close sends
  // `endSessions` unacknowledged, and on FerretDB a command still running on that connection
  // (a request the drain cut short, a batch) would read its stray reply as its own answer.
  closeOnSignals(logger, [
    ['http server', closeServer],
    ['admin console', async () => admin.close()],
    ['queues', () => producer.close()],
    ['redis', () => redis.quit()],
  ]);
}

void main();
