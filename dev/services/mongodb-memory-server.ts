import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceLog } from './errors';
import { spawnManaged } from './managed-child';
import { pingMongo, tcpReachable } from './readiness';

type MongoMemoryServerModule = typeof import('mongodb-memory-server');

export interface RunningMongoMemoryServer {
  uri: string;
  stop(): Promise<void>;
}

interface Options {
  log: ServiceLog;
  /** Where mongod keeps its files; undefined for a throwaway temporary directory. */
  dbPath: string | undefined;
  downloadTimeoutMs?: number;
  startTimeoutMs?: number;
}

/** It is a devDependency: a production install without dev dependencies simply skips it. */
function load(): { module: MongoMemoryServerModule; path: string } | undefined {
  try {
    const resolved = require.resolve('mongodb-memory-server');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, must not fail at import time
    return { module: require(resolved) as MongoMemoryServerModule, path: resolved };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The host a download would contact first: the proxy when one is configured, else the mirror. */
function downloadEndpoint(): { host: string; port: number } {
  const env = process.env;
  const target =
    env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy ?? env.MONGOMS_DOWNLOAD_URL ?? env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org';
  const url = new URL(target);
  return { host: url.hostname, port: Number(url.port || (url.protocol === 'http:' ? 80 : 443)) };
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/**
 * Downloads in a child process we can kill: an in-process download cannot be cancelled and
 * could hang or keep jest from exiting. The binary lands in mongodb-memory-server's usual cache.
 */
async function download(modulePath: string, options: Options): Promise<string | undefined> {
  const script =
    `require(${JSON.stringify(modulePath)}).MongoBinary.getPath()` +
    '.then(() => process.exit(0), (e) => { console.error(String(e && e.message || e)); process.exit(1); })';
  const child = await spawnManaged('mongodb-memory-server download', process.execPath, ['-e', script]);
  const limit = options.downloadTimeoutMs ?? 120000;
  const outcome = await Promise.race([child.exited, timeout(limit)]);
  if (outcome === 'timeout') {
    await child.stop();
    return `mongod download did not finish within ${limit / 1000} s`;
  }
  return outcome.code === 0 ? undefined : `mongod download failed: ${child.recentOutput()}`;
}

/**
 * mongodb-memory-server, the first choice for an embedded MongoDB, when it can work quickly:
 * with MONGOMS_SYSTEM_BINARY, a cached mongod, or a reachable download host (probed in at most
 * 2 s, so machines without internet lose no time). Returns why it was skipped instead of throwing.
 */
export async function startMongoMemoryServer(options: Options): Promise<RunningMongoMemoryServer | string> {
  const loaded = load();
  if (loaded === undefined) return 'mongodb-memory-server is not installed';
  const { MongoMemoryServer, DryMongoBinary } = loaded.module;

  if (process.env.MONGOMS_SYSTEM_BINARY === undefined) {
    const cached = await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions()).catch(() => undefined);
    if (cached === undefined) {
      const { host, port } = downloadEndpoint();
      if (!(await tcpReachable(host, port, 2000))) return `no cached mongod binary and ${host}:${port} is unreachable`;
      options.log('mongodb-memory-server: downloading mongod (once)');
      const failed = await download(loaded.path, options);
      if (failed !== undefined) return failed;
    }
  }

  if (options.dbPath !== undefined) await mkdir(options.dbPath, { recursive: true });
  const creating = MongoMemoryServer.create({ instance: { ip: '127.0.0.1', dbPath: options.dbPath && path.resolve(options.dbPath) } });
  const limit = options.startTimeoutMs ?? 20000;
  const outcome = await Promise.race([creating.then((server) => ({ server }), (error: Error) => error), timeout(limit)]);
  if (outcome === 'timeout') {
    creating.then((server) => server.stop(), () => undefined);
    return `mongod did not start within ${limit / 1000} s`;
  }
  if (outcome instanceof Error) return `mongod did not start: ${outcome.message}`;
  const { server } = outcome;
  const uri = server.getUri();
  try {
    await pingMongo(uri, 5000);
  } catch (error) {
    await server.stop();
    return `mongod did not answer ping: ${(error as Error).message}`;
  }
  return { uri, stop: async () => void (await server.stop()) };
}
