import os from 'node:os';
import path from 'node:path';
import { startRedis, type RunningRedis } from '../../dev/services/embedded-redis';
import { startFerretDb, type RunningFerretDb } from '../../dev/services/ferretdb';

const quiet = () => undefined;

/**
 * A server a fault test owns: it can be stalled (SIGSTOP), resumed, killed and restarted on the
 * same port, so its clients reconnect to the same address.
 */
export interface PrivateServer {
  readonly url: string;
  pause(): void;
  resume(): void;
  /** SIGKILL: no goodbye to its clients. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function owned<T extends { pid: number; stop(): Promise<void> }>(url: string, start: (port?: number) => Promise<T>): Promise<PrivateServer> {
  const port = Number(new URL(url).port);
  let running: T | undefined = await start(port);
  return {
    url,
    pause: () => running && signal(running.pid, 'SIGSTOP'),
    resume: () => running && signal(running.pid, 'SIGCONT'),
    async kill() {
      if (!running) return;
      signal(running.pid, 'SIGCONT');
      signal(running.pid, 'SIGKILL');
      await running.stop();
      running = undefined;
    },
    async restart() {
      if (running) throw new Error('still running');
      running = await start(port);
    },
    async stop() {
      if (!running) return;
      signal(running.pid, 'SIGCONT');
      await running.stop();
      running = undefined;
    },
  };
}

export async function privateRedis(name: string): Promise<PrivateServer> {
  const dataDir = path.join(os.tmpdir(), `scim-test-redis-${name}-${process.pid}`);
  const first: RunningRedis = await startRedis({ dataDir, log: quiet });
  let firstUsed = false;
  return owned(first.url, async (port) => {
    if (!firstUsed) {
      firstUsed = true;
      return first;
    }
    return startRedis({ dataDir, log: quiet, port });
  });
}

/**
 * A FerretDB of the test's own on the local PostgreSQL (database ferretdb_faults, apart from
 * the suite's server); its data outlives a kill, as a real database's would.
 */
export async function privateFerretDb(): Promise<PrivateServer> {
  const options = { dataDir: path.join(os.tmpdir(), `scim-test-ferretdb-${process.pid}`), log: quiet, postgresDatabase: 'ferretdb_faults' };
  const first: RunningFerretDb = await startFerretDb(options);
  let firstUsed = false;
  return owned(first.uri, async (port) => {
    if (!firstUsed) {
      firstUsed = true;
      return first;
    }
    return startFerretDb({ ...options, port });
  });
}
