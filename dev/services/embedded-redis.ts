import { mkdir } from 'node:fs/promises';
import { ServiceStartError, type ServiceLog } from './errors';
import { freePort } from './free-port';
import { spawnManaged } from './managed-child';
import { pingRedis, waitUntil } from './readiness';

export interface RunningRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis.';

/**
 * A private redis-server on a free port, without persistence, so tests never share (or flush)
 * the developer's Redis on 6379.
 */
export async function startRedis(options: {
  dataDir: string;
  log: ServiceLog;
  command?: string;
  readyTimeoutMs?: number;
  /** A fixed port (a restart where clients expect it); by default a free one. */
  port?: number;
}): Promise<RunningRedis> {
  await mkdir(options.dataDir, { recursive: true });
  const command = options.command ?? 'redis-server';
  let lastFailure = '';
  // A free port can be taken between our probe and redis binding it; a fresh port fixes that.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = options.port ?? (await freePort());
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', options.dataDir, '--loglevel', 'warning'];
    const child = await spawnManaged('redis', command, args).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new ServiceStartError(`redis-server was not found (looked for "${command}" on PATH). ${INSTALL_HINT}`);
      throw error;
    });
    const url = `redis://127.0.0.1:${port}`;
    const ready = await waitUntil(
      () => pingRedis(url, 1000).then(() => true, () => false),
      { timeoutMs: options.readyTimeoutMs ?? 15000, failure: child.exitReason },
    );
    if (ready.ok) {
      options.log(`redis-server ${url} started (pid ${child.pid})`);
      return { url, pid: child.pid, stop: () => child.stop() };
    }
    await child.stop();
    lastFailure = `${ready.reason}\n${child.recentOutput()}`;
    if (options.port !== undefined || !/address already in use/i.test(child.recentOutput())) break;
  }
  throw new ServiceStartError(`redis-server did not start: ${lastFailure}\n${INSTALL_HINT}`);
}
