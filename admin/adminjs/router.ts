import { Router, type RequestHandler } from 'express';
import formidable from 'express-formidable';
import type { ConsoleAdmin } from '../auth/console-admin';
import { actionGuard } from './action-guard';
import type { ConsoleAdminJS } from './build';
import type { AdminJSModules } from './esm';
import { BOOT_SCRIPT, PAGE_STYLE, START_SCRIPT } from './page-assets';
import { CONSOLE_BOOT_ASSETS, renderAdminJSPage } from './page-layout';

/**
 * AdminJS asks for components.bundle.js on every page; with no custom components its content
 * is fixed, so it is served from here instead of running AdminJS's rollup bundler (which
 * would write .adminjs/ at start or on the first request).
 */
const EMPTY_COMPONENTS_BUNDLE = 'AdminJS.UserComponents = {};\n';

/** AdminJS's static front-end files and the console's boot files for them: public, like the sign-in page. */
export function adminJSAssets(m: AdminJSModules, admin: ConsoleAdminJS): Router {
  const router = Router();
  const fixed = (type: string, body: string): RequestHandler => (_req, res) => void res.type(type).set('Cache-Control', 'public, max-age=300').send(body);
  router.get('/frontend/assets/components.bundle.js', fixed('text/javascript', EMPTY_COMPONENTS_BUNDLE));
  router.get(CONSOLE_BOOT_ASSETS.boot.replace(/^\/admin/, ''), fixed('text/javascript', BOOT_SCRIPT));
  router.get(CONSOLE_BOOT_ASSETS.start.replace(/^\/admin/, ''), fixed('text/javascript', START_SCRIPT));
  router.get(CONSOLE_BOOT_ASSETS.style.replace(/^\/admin/, ''), fixed('text/css', PAGE_STYLE));
  const { routes, assets } = m.adminjs.Router;
  // Only the asset routes: with the bundler route taken above, nothing here bundles.
  m.express.buildAssets({ admin, assets, routes: routes.filter((r) => r.action !== 'bundleComponents'), router });
  return router;
}

/**
 * AdminJS's pages and JSON API (behind the login; the caller mounts it after requireAdmin).
 * The pages come from the console's template (page-layout.ts); AdminJS serves its API.
 */
export function adminJSRoutes(m: AdminJSModules, admin: ConsoleAdminJS): Router {
  const router = Router();
  // Instead of AdminJS's dashboard (product links and promotion), start at the SCIM settings.
  router.get('/', (_req, res) => res.redirect('/admin/resources/ScimSetting'));
  router.use('/api', (_req, res, next) => {
    // Records of one admin must not be kept by a browser or proxy cache for the next.
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(actionGuard(admin));
  const page: RequestHandler = async (_req, res) => {
    const html = await renderAdminJSPage(m, admin, res.locals.admin as ConsoleAdmin);
    res.type('html').set('Cache-Control', 'no-store').send(html);
  };
  router.get(['/resources/:resourceId', '/resources/:resourceId/actions/:action', '/resources/:resourceId/records/:recordId/:action', '/resources/:resourceId/bulk/:action'], page);
  router.use(formidable({ maxFieldsSize: 2 * 1024 * 1024, maxFileSize: 1024 }));
  m.express.buildRoutes({ admin, routes: m.adminjs.Router.routes.filter((r) => r.path.startsWith('/api/')), router });
  return router;
}
