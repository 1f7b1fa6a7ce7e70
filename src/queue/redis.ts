import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** A producer's command that has no answer after this long fails: a stalled Redis (SIGSTOP, a full network buffer) must not hang a write. */
export const PRODUCER_COMMAND_TIMEOUT_MS = 2000;

/**
 * The web process only produces: its commands fail at once while Redis is away, and after
 * PRODUCER_COMMAND_TIMEOUT_MS while it does not answer, so a write gets a 503 instead of
 * hanging. The worker only consumes: BullMQ needs `maxRetriesPerRequest: null` so its blocking
 * reads survive reconnects.
 */
export function createRedis(url: string, role: 'producer' | 'consumer', logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    ...(role === 'producer'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS }
      : { maxRetriesPerRequest: null }),
  });
  let warned = false;
  redis.on('error', (err) => {
    if (!warned) logger.warn({ err: err.message, role }, 'redis connection error');
    warned = true;
  });
  redis.on('ready', () => {
    if (warned) logger.info({ role }, 'redis connection ready again');
    warned = false;
  });
  return redis;
}

export async function waitForRedis(redis: Redis, timeoutMs = 10000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not reachable within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
