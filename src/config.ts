import { isIP } from 'node:net';
import { z } from 'zod';
import { queuePrefixFor } from './queue/hash-tag';

/**
 * The only reader of process.env. Everything else receives the frozen Config.
 * MONGODB_URI and REDIS_URL are optional: without them the embedded services
 * (dev/services) are started, which only the all-in-one start command and tests do.
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

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** The deployment's Redis as REDIS_URL names it: one server, a Redis Cluster, or a master found through Sentinel. */
export type RedisTarget =
  | Readonly<{ kind: 'standalone'; url: string }>
  | Readonly<{ kind: 'cluster'; nodes: readonly RedisNode[]; username?: string; password?: string; tls: boolean }>
  | Readonly<{ kind: 'sentinel'; sentinels: readonly RedisNode[]; masterName: string; username?: string; password?: string; sentinelPassword?: string; tls: boolean }>;

const REDIS_URL_FORMS =
  'redis://… or rediss://… (one server), redis-cluster://host:port[,host:port…] or rediss-cluster://… (Redis Cluster), redis-sentinel://host:port[,host:port…]/<masterName> or rediss-sentinel://… (Sentinel)';

/** `[user][:password]@host:port,host:port/path?query`: a URL with several hosts, which WHATWG URL cannot parse. */
const MULTI_NODE_URL = /^(rediss?)-(cluster|sentinel):\/\/(?:([^@/?#]*)@)?([^@/?#]+)(?:\/([^?#]*))?(?:\?([^#]*))?$/;
const NODE = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/;

function decoded(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  return decodeURIComponent(text);
}

function parseNodes(list: string, defaultPort: number): RedisNode[] | string {
  const nodes: RedisNode[] = [];
  for (const entry of list.split(',')) {
    const match = NODE.exec(entry.trim());
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    const host = match?.[1] ?? match?.[2];
    if (host === undefined || port < 1 || port > 65535) return `not a host:port: "${entry}"`;
    nodes.push({ host, port });
  }
  return nodes;
}

function parseMultiNodeUrl(value: string): RedisTarget | string {
  const match = MULTI_NODE_URL.exec(value);
  if (match === null) return `not one of ${REDIS_URL_FORMS}`;
  const [, scheme, kind, userInfo, hosts = '', path = '', query = ''] = match;
  const colon = userInfo?.indexOf(':') ?? -1;
  const auth = {
    username: decoded(colon < 0 ? userInfo : userInfo?.slice(0, colon)),
    password: decoded(colon < 0 ? undefined : userInfo?.slice(colon + 1)),
    tls: scheme === 'rediss',
  };
  const params = new URLSearchParams(query);
  if (kind === 'cluster') {
    if (path !== '' || query !== '') return 'a cluster URL has no path or query: redis-cluster://host:port[,host:port…]';
    const nodes = parseNodes(hosts, 6379);
    return typeof nodes === 'string' ? nodes : { kind: 'cluster', nodes, ...auth };
  }
  const unknown = [...params.keys()].filter((key) => key !== 'sentinelPassword');
  if (unknown.length > 0) return `unknown Sentinel URL parameter: ${unknown.join(', ')} (only sentinelPassword)`;
  const masterName = decoded(path);
  if (masterName === undefined || masterName.includes('/')) return 'a Sentinel URL names its master: redis-sentinel://host:26379[,host:26379…]/<masterName>';
  const sentinels = parseNodes(hosts, 26379);
  if (typeof sentinels === 'string') return sentinels;
  return { kind: 'sentinel', sentinels, masterName, ...auth, sentinelPassword: params.get('sentinelPassword') || undefined };
}

function parseRedisTarget(value: string): RedisTarget | string {
  if (/^rediss?:\/\//.test(value)) return URL.canParse(value) ? { kind: 'standalone', url: value } : `not a URL: one of ${REDIS_URL_FORMS}`;
  try {
    return parseMultiNodeUrl(value);
  } catch {
    return 'a user name or password is not percent-encoded';
  }
}

const redisUrl = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx): RedisTarget => {
    const target = parseRedisTarget(value);
    if (typeof target !== 'string') return target;
    ctx.addIssue({ code: 'custom', message: target });
    return z.NEVER;
  });

/** REDIS_URL's meaning, for the embedded-services starter (dev/services), which reads REDIS_URL itself. */
export function parseRedisUrl(value: string): RedisTarget {
  const parsed = redisUrl.safeParse(value);
  if (!parsed.success) throw new ConfigError(`REDIS_URL: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.url().optional(),
  MONGODB_URI: z.string().min(1).optional(),
  REDIS_URL: redisUrl.optional(),
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
  redis?: RedisTarget;
  logLevel: string;
  /** QUEUE_PREFIX as used: on a Redis Cluster with a hash tag (src/queue/hash-tag.ts). Every Redis key of the deployment starts with it. */
  queuePrefix: string;
  workerConcurrency: number;
  scimMaxBodyBytes: number;
  authFailuresPerMinute: number;
  trustProxy: false | number | readonly string[];
  dueSweepIntervalMs: number;
  /** How long a company's projection lease lasts: a killed worker's company is taken over this long after it died. */
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
  const queuePrefix = queuePrefixFor(e.QUEUE_PREFIX, e.REDIS_URL);
  if (queuePrefix === undefined) throw new ConfigError('Invalid configuration: QUEUE_PREFIX: on a Redis Cluster it needs a hash tag ({…}), and one cannot be made for a prefix starting with "}"');
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    mongoUri: e.MONGODB_URI,
    redis: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    queuePrefix,
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
