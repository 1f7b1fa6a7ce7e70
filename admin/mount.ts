import { Router, type Express, type ErrorRequestHandler } from 'express';
import { buildConsoles } from './adminjs/build';
import { bundleComponents, consoleComponents } from './adminjs/components';
import { loadAdminJS } from './adminjs/esm';
import { adminJSAssets, adminJSRoutes } from './adminjs/router';
import { ensureFirstAdmin } from './auth/admin-accounts';
import { LoginFailures } from './auth/login-failures';
import { warmPasswordDecoy } from './auth/password';
import { authRoutes, requireAdmin, ROOT_PATH } from './auth/routes';
import { consoleSession } from './auth/session';
import type { AdminContext } from './context';
import { consolePages, publicAssets } from './pages/routes';
import { queueDashboard } from './queues/queue-dashboard';
import { backfillCustomFieldNameKeys } from '../src/store/migrations/custom-field-name-keys';
import { consoleContentSecurityPolicy } from './security/content-security-policy';
import { sameOriginOnly } from './security/same-origin';

/** Mounted console; `close()` stops its timers before the database connection closes. */
export interface MountedAdmin {
  close(): void;
}

/**
 * Mounts the admin console at /admin on the web process's app. Order matters: the
 * Content-Security-Policy and the CSRF check come first (even the login form is protected),
 * then the session; public assets precede the login wall; everything after requireAdmin runs
 * as the signed-in admin and is confined to that admin's company.
 */
export async function mountAdmin(app: Express, ctx: AdminContext): Promise<MountedAdmin> {
  await ensureFirstAdmin(ctx.models, ctx.config, ctx.logger);
  const failures = new LoginFailures(ctx.connection);
  await Promise.all([failures.ensureIndexes(), warmPasswordDecoy(), backfillCustomFieldNameKeys(ctx.models, ctx.logger)]);
  const modules = await loadAdminJS();
  const consoles = buildConsoles(modules, ctx, consoleComponents(modules));
  const componentsBundle = await bundleComponents(consoles.platform, ctx.config.env);

  const router = Router();
  router.use((_req, res, next) => {
    // helmet's no-referrer makes browsers send "Origin: null" on same-origin POSTs, which the
    // CSRF check must refuse; same-origin keeps referrers inside the console only.
    res.set('Referrer-Policy', 'same-origin');
    next();
  });
  router.use(consoleContentSecurityPolicy());
  router.use(sameOriginOnly(ctx.config.publicBaseUrl));
  router.use('/x/assets', publicAssets());
  router.use(adminJSAssets(modules, consoles.platform, componentsBundle));
  const sessions = consoleSession(ctx);
  router.use(sessions.middleware);
  router.use(authRoutes(ctx.models, failures));
  router.use(requireAdmin(ctx.models));
  router.use('/queues', queueDashboard(ctx.producer));
  router.use('/x', consolePages(ctx));
  router.use(adminJSRoutes(modules, consoles));
  router.use(consoleErrors(ctx));
  app.use(ROOT_PATH, router);
  ctx.logger.info({ path: ROOT_PATH }, 'admin console mounted');
  return { close: sessions.stop };
}

/** Errors answer a plain sentence: no stack traces or internals reach the browser. */
function consoleErrors(ctx: AdminContext): ErrorRequestHandler {
  return (err: Error, req, res, _next) => {
    ctx.logger.error({ err: err.message, path: req.path }, 'console request failed');
    if (res.headersSent) return;
    res.status(500).type('text/plain').send('Something went wrong. Try again; if it keeps happening, check the service logs.');
  };
}
