import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The only reader of process.env. Everything else receives the frozen Config.
 * MONGODB_URI and REDIS_URL are optional: without them the embedded services
 * (src/services) are started, which only the all-in-one start command and tests do.
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Which proxies' X-Forwarded-For to believe, in Express's own terms: a hop count, or addresses,
 * subnets and the names loopback, linklocal, uniquelocal. Unset trusts none, so a client cannot
 * pick its own address (failed-token counts are kept per address). "true" (trust anyone) is refused.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): false | number | string[] => {
    if (value === '' || value === 'false') return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.filter((entry) => !PROXY_NAMES.has(entry) && isIP(entry.split('/')[0] ?? '') === 0);
    if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `not a hop count, address, subnet or loopback/linklocal/uniquelocal: ${bad.join(', ')}` });
    return entries;
  });

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.url().optional(),
  MONGODB_URI: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUEUE_PREFIX: z.string().min(1).default('scim'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  SCIM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  TRUST_PROXY: trustProxy.default(false),
  DUE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  PROJECTION_LEASE_MS: z.coerce.number().int().min(1000).default(60000),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30000),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  METRICS_TOKEN: z.string().min(32).optional(),
});

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  publicBaseUrl?: string;
  mongoUri?: string;
  redisUrl?: string;
  logLevel: string;
  queuePrefix: string;
  workerConcurrency: number;
  scimMaxBodyBytes: number;
  authFailuresPerMinute: number;
  trustProxy: false | number | readonly string[];
  dueSweepIntervalMs: number;
  /** How long a setting's projection lease lasts: a killed worker's setting is taken over this long after it died. */
  projectionLeaseMs: number;
  workerLockMs: number;
  workerStalledIntervalMs: number;
  /** Where the worker serves /healthz and /readyz; unset: it serves no HTTP. */
  workerHealthPort?: number;
  sessionSecret?: string;
  adminEmail?: string;
  adminPassword?: string;
  /** The bearer token /metrics answers to; unset, /metrics answers 404. */
  metricsToken?: string;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    mongoUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    queuePrefix: e.QUEUE_PREFIX,
    workerConcurrency: e.WORKER_CONCURRENCY,
    scimMaxBodyBytes: e.SCIM_MAX_BODY_BYTES,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    dueSweepIntervalMs: e.DUE_SWEEP_INTERVAL_MS,
    projectionLeaseMs: e.PROJECTION_LEASE_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    workerStalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
    workerHealthPort: e.WORKER_HEALTH_PORT,
    sessionSecret: e.SESSION_SECRET,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    metricsToken: e.METRICS_TOKEN,
  });
}
