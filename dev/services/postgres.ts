import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tcpReachable } from './readiness';

const run = promisify(execFile);

/** PostgreSQL server (database part ignored) for FerretDB; override with FERRETDB_POSTGRESQL_URL. */
export const DEFAULT_POSTGRESQL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The same server URL pointing at `database`. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function psql(serverUrl: string, command: ['-c' | '-f', string], database = 'postgres'): Promise<string> {
  const url = new URL(withDatabase(serverUrl, database));
  if (!url.searchParams.has('connect_timeout')) url.searchParams.set('connect_timeout', '5');
  const { stdout } = await run('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url.toString(), ...command], { timeout: 60000 });
  return stdout.trim();
}

/** ops/ferretdb-equality-indexes.sql: dev/services is two levels below the checkout root and runs only from the checkout (dev/ is not compiled into dist/). */
const EQUALITY_INDEXES_SQL = path.join(__dirname, '..', '..', 'ops', 'ferretdb-equality-indexes.sql');

/**
 * Makes FerretDB's equality filters index-served in `database` (ops/ferretdb-equality-indexes.sql:
 * a GIN index beside each btree index FerretDB builds, and custom plans). Run before FerretDB
 * starts, so its connections take the plan setting.
 */
export async function indexFerretDbEqualities(serverUrl: string, database: string): Promise<void> {
  if (!existsSync(EQUALITY_INDEXES_SQL)) throw new Error(`${EQUALITY_INDEXES_SQL} is missing from this checkout`);
  await psql(serverUrl, ['-f', EQUALITY_INDEXES_SQL], database);
}

/**
 * Turns PostgreSQL's autovacuum on when the server has it off (it is on by default; this
 * machine's server ships with it off). Without the statistics its ANALYZE gathers, the planner
 * cannot tell a company's id (every document of the company) from an address (one), and reads
 * both GIN indexes for each equality FerretDB sends: 21 ms instead of 1 at 53,000 people.
 * Returns true when it changed the setting (server-wide, like any ALTER SYSTEM).
 */
export async function ensureAutovacuum(serverUrl: string): Promise<boolean> {
  if ((await psql(serverUrl, ['-c', 'SHOW autovacuum'])) === 'on') return false;
  await psql(serverUrl, ['-c', 'ALTER SYSTEM SET autovacuum = on']);
  await psql(serverUrl, ['-c', 'SELECT pg_reload_conf()']);
  return true;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { stderr?: string };
  return (e.stderr ?? '').trim() || e.message;
}

/**
 * Makes sure `database` exists on the server so FerretDB (postgresql handler) can keep its data
 * apart from anything else there, with its equalities index-served (indexFerretDbEqualities). Creating it needs psql, the PostgreSQL client, rather than
 * a Node driver dependency. Returns why PostgreSQL cannot be used, or undefined when it can.
 */
export async function preparePostgresDatabase(serverUrl: string, database: string): Promise<string | undefined> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) return `invalid PostgreSQL database name "${database}"`;
  const url = new URL(serverUrl);
  const port = Number(url.port || '5432');
  if (!(await tcpReachable(url.hostname, port, 1500))) {
    return `PostgreSQL is not reachable at ${url.hostname}:${port} (install and start it: apt-get install postgresql)`;
  }
  try {
    const exists = await psql(serverUrl, ['-c', `SELECT 1 FROM pg_database WHERE datname = '${database}'`]);
    if (exists !== '1') {
      await psql(serverUrl, ['-c', `CREATE DATABASE ${database}`]).catch((error: unknown) => {
        // Another start may have created it between our check and our CREATE.
        if (!/already exists/.test(describe(error))) throw error;
      });
    }
    // Two starts at once (parallel test runs share the database) may race on replacing the functions: the second try finds them.
    await indexFerretDbEqualities(serverUrl, database).catch(() => indexFerretDbEqualities(serverUrl, database));
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return `psql (the PostgreSQL client) is not installed, so database "${database}" cannot be created: apt-get install postgresql-client`;
    }
    return `psql could not prepare database "${database}" on ${url.hostname}:${port}: ${describe(error)}`;
  }
}
