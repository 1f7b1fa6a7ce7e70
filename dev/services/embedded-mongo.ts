import path from 'node:path';
import { ServiceStartError, type ServiceLog } from './errors';
import { startFerretDb } from './ferretdb';
import { startMongoMemoryServer } from './mongodb-memory-server';
import { pingMongo } from './readiness';

export type MongoKind = 'external' | 'mongodb-memory-server' | 'ferretdb';

export interface ProvidedMongo {
  uri: string;
  kind: MongoKind;
  /** FerretDB's PostgreSQL database, when that is where the data lives. */
  postgresUrl?: string;
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when given; else mongodb-memory-server (a real mongod, where it can be had);
 * else FerretDB, which needs only Go and, preferably, PostgreSQL.
 */
export async function provideMongo(options: {
  dataDir: string;
  log: ServiceLog;
  persistent: boolean;
  ferretDbDatabase: string;
  externalUri: string | undefined;
  postgresUrl: string | undefined;
}): Promise<ProvidedMongo> {
  if (options.externalUri !== undefined) {
    await pingMongo(options.externalUri, 10000).catch((error: Error) => {
      throw new ServiceStartError(`MONGODB_URI is set but the server does not answer ping: ${error.message}`);
    });
    return { uri: options.externalUri, kind: 'external', stop: async () => undefined };
  }

  const memoryServer = await startMongoMemoryServer({
    log: options.log,
    dbPath: options.persistent ? path.join(options.dataDir, 'mongodb') : undefined,
  });
  if (typeof memoryServer !== 'string') {
    options.log(`mongodb-memory-server ${memoryServer.uri} started`);
    return { ...memoryServer, kind: 'mongodb-memory-server' };
  }
  options.log(`mongodb-memory-server skipped (${memoryServer}); using FerretDB`);

  const ferretDb = await startFerretDb({
    dataDir: options.dataDir,
    log: options.log,
    postgresDatabase: options.ferretDbDatabase,
    postgresUrl: options.postgresUrl,
  });
  return { uri: ferretDb.uri, kind: 'ferretdb', postgresUrl: ferretDb.postgresUrl, stop: ferretDb.stop };
}
