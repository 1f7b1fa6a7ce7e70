import path from 'node:path';
import { startServices, ServiceStartError, type Services } from '../../dev/services';
import { build } from '../../scripts/procfile';

/**
 * Starts one MongoDB-compatible server and one Redis for the whole integration run and hands
 * them to test files through the environment (workers inherit it):
 *   TEST_MONGODB_URI  server URI without a database; each test file uses its own database
 *                     (test/support/database.ts: freshDatabaseName, dropDatabase)
 *   TEST_REDIS_URL    Redis URL; each test file uses its own queue names (test/support/redis.ts)
 *   TEST_MONGO_KIND   external | mongodb-memory-server | ferretdb, for tests that must skip
 *                     features FerretDB v1 lacks (transactions, collation, $elemMatch)
 *   TEST_FERRETDB_POSTGRESQL_URL  FerretDB's PostgreSQL database, when it runs on one (index checks)
 * MONGODB_URI / REDIS_URL, when set, are used instead of starting servers.
 * It also builds dist/ first: tests run the web and worker processes as the Procfile does
 * (test/support/product-processes.ts), so they run what production runs, on this commit's code.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const log = (message: string, level: 'info' | 'warn' = 'info'): void => {
    process.stderr.write(`[services]${level === 'warn' ? ' WARNING:' : ''} ${message}\n`);
  };
  build();
  log(`dist/ built in ${Date.now() - started} ms`);
  let services: Services;
  try {
    services = await startServices({ dataDir: path.join(__dirname, '..', '..', '.cache', 'test-services'), log, purpose: 'test' });
  } catch (error) {
    // Jest prints a stack for a thrown error; the message alone says what to install.
    if (error instanceof ServiceStartError) process.stderr.write(`\n${error.message}\n\n`);
    throw error;
  }
  process.env.TEST_MONGODB_URI = services.mongoUri;
  process.env.TEST_REDIS_URL = services.redisUrl;
  process.env.TEST_MONGO_KIND = services.mongoKind;
  if (services.ferretDbPostgresUrl) process.env.TEST_FERRETDB_POSTGRESQL_URL = services.ferretDbPostgresUrl;
  log(`${services.mongoKind} ${services.mongoUri} and Redis ${services.redisUrl} ready in ${Date.now() - started} ms`);
  (globalThis as { __testServices?: Services }).__testServices = services;
}
