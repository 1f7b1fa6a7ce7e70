import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ServiceStartError, type ServiceLog } from './errors';
import { ensureFerretDbBinary } from './ferretdb-build';
import { freePort } from './free-port';
import { spawnManaged } from './managed-child';
import { DEFAULT_POSTGRESQL_URL, ensureAutovacuum, preparePostgresDatabase, withDatabase } from './postgres';
import { pingMongo, tcpReachable, waitUntil } from './readiness';

export interface RunningFerretDb {
  uri: string;
  pid: number;
  handler: 'postgresql' | 'sqlite';
  /** The PostgreSQL database FerretDB keeps its data in (postgresql handler only). */
  postgresUrl?: string;
  stop(): Promise<void>;
}

interface FerretDbOptions {
  dataDir: string;
  log: ServiceLog;
  /** PostgreSQL database holding this FerretDB's data; the service and the tests use different ones. */
  postgresDatabase: string;
  /** Server URL (its database part is replaced by postgresDatabase). */
  postgresUrl?: string;
  readyTimeoutMs?: number;
  /** A fixed port (a restart where clients expect it); by default a free one. */
  port?: number;
}

async function launch(binary: string, handlerArgs: string[], options: FerretDbOptions): Promise<{ uri: string; pid: number; stop(): Promise<void> }> {
  let lastFailure = '';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = options.port ?? (await freePort());
    const args = ['-listen-addr', `127.0.0.1:${port}`, '-log-level', 'warn', ...handlerArgs];
    const child = await spawnManaged('ferretdb', binary, args);
    const uri = `mongodb://127.0.0.1:${port}/`;
    const listening = await waitUntil(() => tcpReachable('127.0.0.1', port, 500), {
      timeoutMs: options.readyTimeoutMs ?? 30000,
      failure: child.exitReason,
    });
    const ready = listening.ok ? await pingMongo(uri, 10000).then(() => listening, (e: Error) => ({ ok: false as const, reason: e.message })) : listening;
    if (ready.ok) return { uri, pid: child.pid, stop: () => child.stop() };
    await child.stop();
    lastFailure = `${ready.reason}\n${child.recentOutput()}`;
    if (options.port !== undefined || !/address already in use/i.test(child.recentOutput())) break;
  }
  throw new Error(lastFailure);
}

/**
 * FerretDB on a free port, built on first use. PostgreSQL is the backend because the SQLite
 * handler measured about 10x slower on finds and 30x on bulk writes; SQLite (files under dataDir)
 * is only the fallback when PostgreSQL cannot be used, with a warning saying why.
 */
export async function startFerretDb(options: FerretDbOptions): Promise<RunningFerretDb> {
  const binary = await ensureFerretDbBinary({ log: options.log });
  const serverUrl = options.postgresUrl ?? DEFAULT_POSTGRESQL_URL;
  let postgresProblem = await preparePostgresDatabase(serverUrl, options.postgresDatabase);
  if (postgresProblem === undefined) {
    const postgresUrl = withDatabase(serverUrl, options.postgresDatabase);
    await ensureAutovacuum(serverUrl).then(
      (changed) => changed && options.log(`PostgreSQL at ${new URL(serverUrl).host} had autovacuum off: turned it on (ALTER SYSTEM), so its planner has the statistics FerretDB's index-served equalities need`, 'warn'),
      (error: Error) => options.log(`PostgreSQL's autovacuum could not be checked or turned on (${error.message}): equality filters may read more than one index`, 'warn'),
    );
    try {
      const running = await launch(binary, ['-handler', 'postgresql', '-postgresql-url', postgresUrl], options);
      options.log(`FerretDB ${running.uri} started (PostgreSQL database "${options.postgresDatabase}")`);
      return { ...running, handler: 'postgresql', postgresUrl };
    } catch (error) {
      postgresProblem = `FerretDB did not start on PostgreSQL: ${(error as Error).message}`;
    }
  }
  options.log(
    `${postgresProblem}. Falling back to FerretDB's SQLite handler (about 10x slower on finds, 30x on bulk writes). ` +
      `FerretDB expects PostgreSQL at ${new URL(serverUrl).host} with trust auth for user postgres; set FERRETDB_POSTGRESQL_URL for another server.`,
    'warn',
  );
  const sqliteDir = path.join(path.resolve(options.dataDir), 'ferretdb-sqlite');
  await mkdir(sqliteDir, { recursive: true });
  try {
    const running = await launch(binary, ['-handler', 'sqlite', '-sqlite-url', `file:${sqliteDir}/`], options);
    options.log(`FerretDB ${running.uri} started (SQLite files in ${sqliteDir})`);
    return { ...running, handler: 'sqlite' };
  } catch (error) {
    throw new ServiceStartError(
      `No MongoDB-compatible server could be started. PostgreSQL: ${postgresProblem}. SQLite: ${(error as Error).message}\n` +
        'Fix PostgreSQL (see above) or set MONGODB_URI to an existing MongoDB.',
    );
  }
}
