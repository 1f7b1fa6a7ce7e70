import mongoose, { type Connection } from 'mongoose';
import { createModels, syncIndexes, type Models } from '../models';
import type { Logger } from '../logger';
import { convertTargetUsersToPeople } from '../store/migrations/people';
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
 * What the consistency model needs from MongoDB, unless the connection string says otherwise:
 * a write acknowledged by a majority survives a failover (a 2xx is never undone), reads go to
 * the primary (any read after a 2xx, from any web process, sees that write: read-your-writes),
 * and a write or read caught by a primary election is retried once by the driver. An option
 * written in the URI (e.g. `w=1`) wins, for a deployment that chooses differently.
 */
export function consistencyDefaults(uri: string): { w?: 'majority'; journal?: boolean; readPreference?: 'primary'; retryWrites?: boolean; retryReads?: boolean } {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1).toLowerCase() : '';
  const given = new Set(query.split('&').map((pair) => pair.split('=')[0]));
  return {
    ...(given.has('w') ? {} : { w: 'majority' as const }),
    ...(given.has('journal') ? {} : { journal: true }),
    ...(given.has('readpreference') ? {} : { readPreference: 'primary' as const }),
    ...(given.has('retrywrites') ? {} : { retryWrites: true }),
    ...(given.has('retryreads') ? {} : { retryReads: true }),
  };
}

/**
 * Connects, converts what an older version wrote that the indexes could not be built over
 * (target users per SCIM setting become people: src/store/migrations/people.ts, logged to
 * `logger`), and builds every index before anything is served: uniqueness (userName per
 * setting, one person per address, group names, tokens) is enforced by indexes, not by
 * application checks. Runs unchanged on MongoDB 6+ and on FerretDB v1 (no transactions,
 * collation or $elemMatch).
 */
export async function connectDatabase(uri: string, dbName?: string, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS, logger?: Logger): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    ...consistencyDefaults(uri),
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
  await convertTargetUsersToPeople(models, logger);
  await syncIndexes(models);
  return { connection, models };
}
