import { ConfigError } from '../../src/config';
import { provideMongo, type MongoKind } from './embedded-mongo';
import { startRedis } from './embedded-redis';
import { pingRedis } from './readiness';
import { ServiceStartError, type ServiceLog } from './errors';

export { ServiceStartError, type ServiceLog } from './errors';
export type { MongoKind } from './embedded-mongo';

export interface StartServicesOptions {
  /** Files of the embedded servers (FerretDB's SQLite fallback, a persistent mongod, redis' dir). */
  dataDir: string;
  log: ServiceLog;
  /**
   * 'service' (default) keeps data across restarts in PostgreSQL database "ferretdb" or
   * <dataDir>/mongodb; 'test' uses database "ferretdb_test" and a throwaway mongod directory.
   */
  purpose?: 'service' | 'test';
}

export interface Services {
  /** Server URI without a database name; callers choose the database (dbName option). */
  mongoUri: string;
  redisUrl: string;
  mongoKind: MongoKind;
  redisKind: 'external' | 'redis-server';
  /** FerretDB's PostgreSQL database (ops/ferretdb-equality-indexes.sql applied), when FerretDB runs on PostgreSQL. */
  ferretDbPostgresUrl?: string;
  /** Stops the servers this call started; external ones are left alone. */
  stop(): Promise<void>;
}

/**
 * MongoDB and Redis for the all-in-one start command and the integration tests.
 * Reads MONGODB_URI and REDIS_URL (use those servers), FERRETDB_POSTGRESQL_URL (PostgreSQL for
 * FerretDB; default postgres://postgres@127.0.0.1:5432) and mongodb-memory-server's MONGOMS_*.
 * Everything started here dies with this process. Throws ServiceStartError with a fix-it message.
 */
export async function startServices(options: StartServicesOptions): Promise<Services> {
  const purpose = options.purpose ?? 'service';
  const externalRedis = process.env.REDIS_URL;
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(stops.splice(0).reverse().map((s) => s()));
  };
  try {
    let redisUrl: string;
    if (externalRedis !== undefined) {
      await pingRedis(externalRedis, 5000).catch((error: Error) => {
        throw new ServiceStartError(error instanceof ConfigError ? error.message : `REDIS_URL is set but Redis does not answer PING: ${error.message}`);
      });
      redisUrl = externalRedis;
    } else {
      const redis = await startRedis({ dataDir: options.dataDir, log: options.log });
      stops.push(redis.stop);
      redisUrl = redis.url;
    }
    const mongo = await provideMongo({
      dataDir: options.dataDir,
      log: options.log,
      persistent: purpose === 'service',
      ferretDbDatabase: purpose === 'service' ? 'ferretdb' : 'ferretdb_test',
      externalUri: process.env.MONGODB_URI,
      postgresUrl: process.env.FERRETDB_POSTGRESQL_URL,
    });
    stops.push(mongo.stop);
    return {
      mongoUri: mongo.uri,
      redisUrl,
      mongoKind: mongo.kind,
      redisKind: externalRedis === undefined ? 'redis-server' : 'external',
      ferretDbPostgresUrl: mongo.postgresUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
