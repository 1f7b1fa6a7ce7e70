import net from 'node:net';
import mongoose from 'mongoose';
import { parseRedisUrl } from '../../src/config';
import { redisClient } from '../../src/queue/redis';

/** Whether something accepts TCP connections at host:port within `timeoutMs` (DNS included). */
export function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls `check` until it is true. `failure` is consulted first on every round so a child that
 * already died ends the wait at once with its own reason instead of a timeout.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; failure?: () => string | undefined },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failed = options.failure?.();
    if (failed !== undefined) return { ok: false, reason: failed };
    if (await check()) return { ok: true };
    if (Date.now() >= deadline) return { ok: false, reason: `not ready after ${options.timeoutMs} ms` };
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/** Connects, runs the `ping` command and disconnects; throws the driver's error. */
export async function pingMongo(uri: string, timeoutMs: number): Promise<void> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    autoIndex: false,
    autoCreate: false,
  });
  try {
    await connection.asPromise();
    const db = connection.db;
    if (db === undefined) throw new Error('connected without a database handle');
    await db.admin().ping();
  } finally {
    await connection.close(true).catch(() => undefined);
  }
}

/** Connects without retries, expects PONG, disconnects; throws the client's error. Any REDIS_URL form (cluster, Sentinel). */
export async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const client = redisClient(parseRedisUrl(url), { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, reconnect: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)}`);
  } finally {
    // After a failed connect ioredis' disconnect() arms a 2 s timer nothing clears, which kept
    // jest alive; the connection is already gone then.
    if (client.status !== 'end') client.disconnect();
  }
}
