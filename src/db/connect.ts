import mongoose, { type Connection } from 'mongoose';
import { createModels, syncIndexes, type Models } from '../models';
import { watchForUnacknowledgedWrites } from './unacknowledged-writes';

export interface Database {
  connection: Connection;
  models: Models;
}

/**
 * Connects and builds every index before anything is served: uniqueness (userName per
 * setting, group names, tokens) is enforced by indexes, not by application checks.
 * Runs unchanged on MongoDB 6+ and on FerretDB v1 (no transactions, collation or $elemMatch).
 */
export async function connectDatabase(uri: string, dbName?: string): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    ...(dbName ? { dbName } : {}),
    autoIndex: false,
    serverSelectionTimeoutMS: 10_000,
    monitorCommands: true,
  });
  watchForUnacknowledgedWrites(connection.getClient());
  await connection.asPromise();
  const models = createModels(connection);
  await syncIndexes(models);
  return { connection, models };
}
