import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Models } from '../../src/models';
import { adminUsers } from '../../src/store/admin-users';
import { signInPage, signOutPage } from '../pages/sign-in-pages';
import { authenticate, type LoginResult } from './authenticate';
import type { LoginFailures } from './login-failures';
import { runAsAdmin, toConsoleAdmin } from './console-admin';
import { SESSION_COOKIE, SESSION_MAX_AGE_MS } from './session';

export const ROOT_PATH = '/admin';
export const LOGIN_PATH = `${ROOT_PATH}/login`;
export const LOGOUT_PATH = `${ROOT_PATH}/logout`;

/** Failed sign-ins per client address per 15 minutes, whatever the e-mail, on top of the lockout per e-mail and address. */
const FAILURES_PER_ADDRESS = 30;

function minutes(ms: number): string {
  const m = Math.max(1, Math.ceil(ms / 60_000));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

function loginMessage(result: Exclude<LoginResult, { ok: true }>): string {
  switch (result.reason) {
    case 'locked':
      return `Too many failed sign-ins with this e-mail address from your network. Try again in ${minutes(result.retryAfterMs)}.`;
    case 'noCompany':
      return 'This account belongs to no company yet. Ask a platform admin to assign one.';
    default:
      return 'Wrong e-mail or password.';
  }
}

/** Only console paths: a login link must not become an open redirect. */
const safeReturnTo = (path: unknown) => (typeof path === 'string' && /^\/admin(\/[^/\\]|$)/.test(path) && !path.startsWith(LOGIN_PATH) ? path : ROOT_PATH);

/**
 * Where to go after signing in travels in the login URL (`?next=`), not in a session: a
 * visitor who is not signed in gets no session document.
 */
const loginUrl = (next: string) => (next === ROOT_PATH ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(next)}`);

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** GET/POST /admin/login and /admin/logout (mounted on the /admin router after the session). */
export function authRoutes(models: Models, failures: LoginFailures): Router {
  const router = Router();
  const failuresByAddress = new RateLimiterMemory({ points: FAILURES_PER_ADDRESS, duration: 15 * 60 });
  const page = (req: Request, res: Response, status: number, message?: string) => {
    res.status(status).set('Cache-Control', 'no-store').type('html').send(signInPage(loginUrl(safeReturnTo(req.query.next)), message));
  };

  router.get('/login', (req, res) => {
    if (req.session.adminUser) return res.redirect(safeReturnTo(req.query.next));
    page(req, res, 200);
  });

  router.post('/login', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const address = req.ip ?? 'unknown';
    const limited = await failuresByAddress.get(address);
    if (limited && limited.remainingPoints <= 0) {
      res.set('Retry-After', String(Math.ceil(limited.msBeforeNext / 1000)));
      return page(req, res, 429, `Too many failed sign-ins from your network. Try again in ${minutes(limited.msBeforeNext)}.`);
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const result = await authenticate(models, failures, { email: body.email, password: body.password, address });
    if (!result.ok) {
      await failuresByAddress.penalty(address, 1);
      if (result.reason === 'locked') res.set('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
      return page(req, res, result.reason === 'locked' ? 429 : 401, loginMessage(result));
    }
    // A fresh session id at sign-in: an id planted before login (session fixation) is worthless.
    await regenerate(req);
    req.session.adminUser = result.admin;
    req.session.signedInAt = Date.now();
    await save(req);
    res.redirect(303, safeReturnTo(req.query.next));
  });

  router.get('/logout', (req, res) => {
    if (!req.session.adminUser) return res.redirect(LOGIN_PATH);
    res.set('Cache-Control', 'no-store').type('html').send(signOutPage(req.session.adminUser.email));
  });
  router.post('/logout', (req, res) => {
    req.session.destroy(() => {
      res.clearCookie(SESSION_COOKIE, { path: ROOT_PATH });
      res.redirect(303, LOGIN_PATH);
    });
  });
  return router;
}

/**
 * Everything after this needs a signed-in admin. The admin is re-read on every request, so a
 * deleted account or a changed role or company takes effect at once, and the request then
 * runs "as" that admin for the company scope of the data layer.
 */
export function requireAdmin(models: Models): RequestHandler {
  return async (req, res, next) => {
    const signedIn = req.session.adminUser;
    const fresh = signedIn && Date.now() - (req.session.signedInAt ?? 0) < SESSION_MAX_AGE_MS ? await adminUsers.byId(models, signedIn.id) : null;
    if (!fresh || (fresh.role !== 'platformAdmin' && !fresh.companyId)) {
      if (signedIn) await new Promise((resolve) => req.session.destroy(resolve));
      const wantsPage = req.method === 'GET' && !req.path.startsWith('/api/') && req.accepts(['html', 'json']) === 'html';
      if (!wantsPage) return void res.status(401).json({ error: 'Your session has ended. Sign in again.' });
      return res.redirect(loginUrl(req.originalUrl));
    }
    const admin = toConsoleAdmin(fresh);
    req.session.adminUser = admin;
    res.locals.admin = admin;
    runAsAdmin(admin, next);
  };
}
