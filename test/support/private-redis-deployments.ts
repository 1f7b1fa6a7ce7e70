import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../dev/services/free-port';
import { spawnManaged, type ManagedChild } from '../../dev/services/managed-child';
import { pingRedis, waitUntil } from '../../dev/services/readiness';
import { startRedis } from '../../dev/services/embedded-redis';

const run = promisify(execFile);
const quiet = () => undefined;

/** A Redis deployment a test owns, named by its REDIS_URL (a cluster or Sentinel form). */
export interface PrivateRedisDeployment {
  readonly url: string;
  /** Stops every process of the deployment and removes its files. */
  stop(): Promise<void>;
}

/** One Redis command against one server, with a client that lives only for it. */
async function ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

async function started(child: ManagedChild, ready: () => Promise<boolean>, what: string): Promise<void> {
  const outcome = await waitUntil(() => ready().catch(() => false), { timeoutMs: 30_000, failure: child.exitReason });
  if (!outcome.ok) throw new Error(`${what} did not start: ${outcome.reason}\n${child.recentOutput()}`);
}

/** Starts every process through `start`, which lists each as it starts it; a failure on the way stops those and removes the files. */
async function deployment(name: string, start: (dir: string, processes: Array<{ stop(): Promise<void> }>) => Promise<string>): Promise<PrivateRedisDeployment> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `scim-test-${name}-`));
  const processes: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    await Promise.all(processes.map((running) => running.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    return { url: await start(dir, processes), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A Redis Cluster of `masters` masters without replicas on loopback, free ports and a throwaway
 * directory, made by `redis-cli --cluster create` as an operator would; resolves once every
 * node reports `cluster_state:ok`. Its URL is `redis-cluster://127.0.0.1:P1,127.0.0.1:P2,…`.
 */
export function privateRedisCluster(name: string, masters = 3): Promise<PrivateRedisDeployment> {
  return deployment(`cluster-${name}`, async (dir, processes) => {
    const ports: number[] = [];
    for (let i = 0; i < masters; i += 1) {
      const port = await freePort();
      const nodeDir = path.join(dir, String(port));
      await mkdir(nodeDir);
      const args = ['--cluster-enabled', 'yes', '--port', String(port), '--bind', '127.0.0.1', '--cluster-config-file', path.join(nodeDir, 'nodes.conf'), '--dir', nodeDir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
      const child = await spawnManaged(`redis cluster node ${port}`, 'redis-server', args);
      processes.push(child);
      await started(child, () => pingRedis(`redis://127.0.0.1:${port}`, 1000).then(() => true), `cluster node ${port}`);
      ports.push(port);
    }
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
    const everyNodeOk = async () => (await Promise.all(ports.map((port) => ask(port, 'CLUSTER', 'INFO')))).every((info) => String(info).includes('cluster_state:ok'));
    const ok = await waitUntil(() => everyNodeOk().catch(() => false), { timeoutMs: 30_000 });
    if (!ok.ok) throw new Error(`the cluster on ${addresses.join(', ')} never reported cluster_state:ok: ${ok.reason}`);
    return `redis-cluster://${addresses.join(',')}`;
  });
}

/**
 * A master and one Sentinel watching it (quorum 1) on loopback, free ports and a throwaway
 * directory; resolves once the Sentinel names the master. Its URL is
 * `redis-sentinel://127.0.0.1:P/<masterName>`.
 */
export function privateRedisSentinel(name: string, masterName = 'scim-master'): Promise<PrivateRedisDeployment> {
  return deployment(`sentinel-${name}`, async (dir, processes) => {
    const master = await startRedis({ dataDir: path.join(dir, 'master'), log: quiet });
    processes.push(master);
    const masterPort = Number(new URL(master.url).port);
    const port = await freePort();
    const config = path.join(dir, 'sentinel.conf');
    // Sentinel rewrites its configuration file, so it gets one of its own.
    await writeFile(config, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`, ''].join('\n'));
    const sentinel = await spawnManaged(`redis sentinel ${port}`, 'redis-server', [config, '--sentinel', '--loglevel', 'warning']);
    processes.push(sentinel);
    await started(sentinel, async () => Array.isArray(await ask(port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)), `sentinel ${port}`);
    return `redis-sentinel://127.0.0.1:${port}/${encodeURIComponent(masterName)}`;
  });
}
