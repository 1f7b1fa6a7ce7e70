import mongoose, { type Connection } from 'mongoose';
import { createModels, syncIndexes, type Models } from '../models';
import { watchForUnacknowledgedWrites } from './unacknowledged-writes';

export interface Database {
  connection: Connection;
  models: Models;
}

export interface DatabaseTimeouts {
  /** How long a command waits for a reachable server, and a new connection for its handshake, before it fails. */
  serverSelectionMs: number;
  /** How long a command waits for an answer on its socket (a stalled server) before it fails; 0 = for ever. */
  socketMs: number;
}

/** Workers and tools wait out short outages; the web process (webDatabaseTimeouts) answers 503 sooner. */
const DEFAULT_TIMEOUTS: DatabaseTimeouts = { serverSelectionMs: 10_000, socketMs: 0 };

/**
 * The web process's bounds: a write against an unreachable or stalled database fails within a
 * few seconds with a 503, well before a write lock it holds expires (src/store/write-lock.ts).
 */
export const webDatabaseTimeouts: DatabaseTimeouts = { serverSelectionMs: 3000, socketMs: 5000 };

/**
 * Connects and builds every index before anything is served: uniqueness (userName per
 * setting, group names, tokens) is enforced by indexes, not by application checks.
 * Runs unchanged on MongoDB 6+ and on FerretDB v1 (no transactions, collation or $elemMatch).
 */
export async function connectDatabase(uri: string, dbName?: string, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    ...(dbName ? { dbName } : {}),
    autoIndex: false,
    serverSelectionTimeoutMS: timeouts.serverSelectionMs,
    connectTimeoutMS: timeouts.serverSelectionMs,
    socketTimeoutMS: timeouts.socketMs,
    monitorCommands: true,
  });
  watchForUnacknowledgedWrites(connection.getClient());
  await connection.asPromise();
  const models = createModels(connection);
  await syncIndexes(models);
  return { connection, models };
}
