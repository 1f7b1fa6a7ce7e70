import { Cluster, Redis } from 'ioredis';
import type { RedisTarget } from '../config';
import type { Logger } from '../logger';

/** A client of the deployment's Redis: one server or a Sentinel-found master (Redis), or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** A producer's command that has no answer after this long fails: a stalled Redis (SIGSTOP, a full network buffer) must not hang a write. */
export const PRODUCER_COMMAND_TIMEOUT_MS = 2000;

/** How one client behaves, whatever shape the deployment's Redis has. */
export interface ClientBehaviour {
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
  connectTimeout?: number;
  commandTimeout?: number;
  lazyConnect?: boolean;
  /** false: a lost connection stays lost (a one-off probe must not retry for ever). */
  reconnect?: boolean;
}

const never = () => null;

/**
 * The one place a Redis client is built: `new Redis(url)` for one server, `new Redis` with the
 * sentinels and the master's name for Sentinel, `new Cluster` for a cluster. On a cluster the
 * offline queue, laziness and reconnecting belong to the cluster, the rest to its node connections.
 */
export function redisClient(target: RedisTarget, behaviour: ClientBehaviour): RedisClient {
  const { reconnect = true, lazyConnect = false, enableOfflineQueue, ...perCommand } = behaviour;
  const offlineQueue = enableOfflineQueue === undefined ? {} : { enableOfflineQueue };
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, { ...perCommand, ...offlineQueue, lazyConnect, ...(reconnect ? {} : { retryStrategy: never }) });
    case 'sentinel':
      return new Redis({
        sentinels: target.sentinels.map((node) => ({ ...node })),
        name: target.masterName,
        username: target.username,
        password: target.password,
        sentinelPassword: target.sentinelPassword,
        ...(target.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
        ...perCommand,
        ...offlineQueue,
        lazyConnect,
        ...(reconnect ? {} : { retryStrategy: never, sentinelRetryStrategy: never }),
      });
    case 'cluster':
      return new Cluster(
        target.nodes.map((node) => ({ ...node })),
        {
          ...offlineQueue,
          lazyConnect,
          ...(reconnect ? {} : { clusterRetryStrategy: never }),
          redisOptions: { username: target.username, password: target.password, ...(target.tls ? { tls: {} } : {}), ...perCommand },
        },
      );
  }
}

/**
 * The web process only produces: its commands fail at once while Redis is away, and after
 * PRODUCER_COMMAND_TIMEOUT_MS while it does not answer, so a write gets a 503 instead of
 * hanging. The worker only consumes: BullMQ needs `maxRetriesPerRequest: null` so its blocking
 * reads survive reconnects (on a cluster BullMQ reads it from the node options, where it is).
 */
export function createRedis(target: RedisTarget, role: 'producer' | 'consumer', logger: Logger): RedisClient {
  const redis = redisClient(
    target,
    role === 'producer'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS }
      : { maxRetriesPerRequest: null },
  );
  let warned = false;
  redis.on('error', (err: Error) => {
    if (!warned) logger.warn({ err: err.message, role }, 'redis connection error');
    warned = true;
  });
  redis.on('ready', () => {
    if (warned) logger.info({ role }, 'redis connection ready again');
    warned = false;
  });
  return redis;
}

export async function waitForRedis(redis: RedisClient, timeoutMs = 10000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not reachable within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
