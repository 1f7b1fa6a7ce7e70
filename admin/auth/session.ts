import { randomBytes } from 'node:crypto';
import session from 'express-session';
import { MongoStore } from 'connect-mongo';
import type { RequestHandler } from 'express';
import type { AdminContext } from '../context';
import { SESSIONS_COLLECTION, sweepExpiredSessions as sweepStoredSessions } from '../../src/store/admin-sessions';
import type { ConsoleAdmin } from './console-admin';

declare module 'express-session' {
  interface SessionData {
    /** AdminJS reads the signed-in admin from here (its controllers get `req.session.adminUser`). */
    adminUser: ConsoleAdmin;
    signedInAt: number;
    formToken: string;
  }
}

export const SESSION_COOKIE = 'scim_console';
export { SESSIONS_COLLECTION };
/** Signed out after this long without a request… */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** …and after this long in any case. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
/** Expired sessions are never read (the store checks `expires`); the sweep only frees space. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export function sessionSecret(ctx: Pick<AdminContext, 'config' | 'logger'>): string {
  if (ctx.config.sessionSecret) return ctx.config.sessionSecret;
  if (ctx.config.env === 'production') throw new Error('SESSION_SECRET must be set in production (32+ characters): console sessions are signed with it.');
  ctx.logger.warn('SESSION_SECRET is not set: using a random one, so console sessions end when this process restarts');
  return randomBytes(32).toString('base64url');
}

/** The session cookie: script-proof, not sent on cross-site posts, and HTTPS-only behind TLS. */
export function sessionCookieOptions(publicBaseUrl: string | undefined) {
  const secure = publicBaseUrl?.startsWith('https:') ?? false;
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/admin', maxAge: SESSION_IDLE_MS };
}

/**
 * Removes expired console sessions with an acknowledged delete. connect-mongo's own interval
 * sweep sends `deleteMany` with `w: 0`; FerretDB answers it anyway and the stray reply stays on
 * the pooled connection, so every later command on it got the answer of the one before.
 */
export async function sweepExpiredSessions(ctx: Pick<AdminContext, 'connection'>, now = new Date()): Promise<number> {
  return sweepStoredSessions(ctx.connection, now);
}

export interface ConsoleSession {
  middleware: RequestHandler;
  /** Stops the sweep (the process is shutting down). */
  stop(): void;
}

/**
 * Console sessions live in MongoDB (collection admin_sessions), so every web process shares
 * them and, with SESSION_SECRET set, a restart signs nobody out. FerretDB has no TTL indexes, so
 * the web process sweeps expired sessions itself (sweepExpiredSessions).
 */
export function consoleSession(ctx: AdminContext): ConsoleSession {
  const cookie = sessionCookieOptions(ctx.config.publicBaseUrl);
  const store = MongoStore.create({
    client: ctx.connection.getClient() as never,
    dbName: ctx.connection.name,
    collectionName: SESSIONS_COLLECTION,
    ttl: SESSION_IDLE_MS / 1000,
    autoRemove: 'disabled',
    stringify: false,
    touchAfter: 60,
  });
  const sweep = setInterval(() => {
    sweepExpiredSessions(ctx).catch((err: Error) => ctx.logger.warn({ err: err.message }, 'console session sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  const middleware = session({
    name: SESSION_COOKIE,
    secret: sessionSecret(ctx),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // Behind a TLS-terminating proxy the hop to us is plain HTTP; trust its X-Forwarded-Proto.
    proxy: cookie.secure,
    cookie,
  });
  return { middleware, stop: () => clearInterval(sweep) };
}
