import { Router } from 'express';
import type { ConsoleAdmin } from '../auth/console-admin';
import type { AdminContext } from '../context';
import { CLIENT_SCRIPT, CLIENT_STYLE } from './client-assets';
import { renderPage } from './layout';
import { settingRoutes, consoleTenantUrl } from './setting-routes';
import { setupHelpBody } from './setup-help-page';

/** The shared script and styles are public: the sign-in and sign-out pages load them too. */
export function publicAssets(): Router {
  const router = Router();
  router.get('/console.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=300').send(CLIENT_SCRIPT);
  });
  router.get('/console.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=300').send(CLIENT_STYLE);
  });
  return router;
}

/** The console's server-rendered pages under /admin/x (behind the login). */
export function consolePages(ctx: AdminContext): Router {
  const router = Router();
  router.use((_req, res, next) => {
    // Pages show tokens and personal data: never cached, never framed.
    res.set({ 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' });
    next();
  });
  router.get('/setup-help', (req, res) => {
    const admin = res.locals.admin as ConsoleAdmin;
    res.type('html').send(renderPage({ title: 'Set up your identity provider', admin, body: setupHelpBody(consoleTenantUrl(ctx, req)) }));
  });
  router.use('/scim-settings', settingRoutes(ctx));
  return router;
}
