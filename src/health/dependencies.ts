import type { Connection } from 'mongoose';
import type { RedisClient } from '../queue/redis';

/** A dependency that does not answer within this long counts as down for readiness. */
export const READINESS_TIMEOUT_MS = 1000;

export interface Readiness {
  ready: boolean;
  redis: boolean;
  mongodb: boolean;
}

function within(ms: number, check: () => Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    check().then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/**
 * Readiness of a web or worker process: Redis answers PING and MongoDB answers `ping`, each
 * within the bound. A stalled server keeps its TCP connection open, so only an answer counts.
 */
export async function checkReadiness(redis: RedisClient, connection: Connection, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  const [redisOk, mongoOk] = await Promise.all([
    within(timeoutMs, async () => {
      if (redis.status !== 'ready') throw new Error('not connected');
      await redis.ping();
    }),
    within(timeoutMs, async () => {
      const db = connection.db;
      if (db === undefined) throw new Error('not connected');
      await db.command({ ping: 1 });
    }),
  ]);
  return { ready: redisOk && mongoOk, redis: redisOk, mongodb: mongoOk };
}
