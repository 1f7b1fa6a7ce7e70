import { Router, type RequestHandler } from 'express';
import formidable from 'express-formidable';
import type { ConsoleAdmin } from '../auth/console-admin';
import { audienceOf, type Audience } from '../resources/common';
import { actionGuard } from './action-guard';
import type { ConsoleAdminJS } from './build';
import type { AdminJSModules } from './esm';
import { BOOT_SCRIPT, PAGE_STYLE, START_SCRIPT } from './page-assets';
import { CONSOLE_BOOT_ASSETS, renderAdminJSPage } from './page-layout';

/**
 * AdminJS's static front-end files, the console's components bundle (built at start, see
 * components.ts) and the console's boot files: public, like the sign-in page.
 */
export function adminJSAssets(m: AdminJSModules, admin: ConsoleAdminJS, componentsBundle: string): Router {
  const router = Router();
  const fixed = (type: string, body: string): RequestHandler => (_req, res) => void res.type(type).set('Cache-Control', 'public, max-age=300').send(body);
  router.get('/frontend/assets/components.bundle.js', fixed('text/javascript', componentsBundle));
  router.get(CONSOLE_BOOT_ASSETS.boot.replace(/^\/admin/, ''), fixed('text/javascript', BOOT_SCRIPT));
  router.get(CONSOLE_BOOT_ASSETS.start.replace(/^\/admin/, ''), fixed('text/javascript', START_SCRIPT));
  router.get(CONSOLE_BOOT_ASSETS.style.replace(/^\/admin/, ''), fixed('text/css', PAGE_STYLE));
  const { routes, assets } = m.adminjs.Router;
  // Only the asset routes: the components bundle is served above, so nothing here bundles (AdminJS 7.8 names that route's action bundleComponents).
  m.express.buildAssets({ admin, assets, routes: routes.filter((r) => r.action !== 'bundleComponents'), router });
  return router;
}

/** One AdminJS instance's pages and JSON API. */
function instanceRoutes(m: AdminJSModules, admin: ConsoleAdminJS): Router {
  const router = Router();
  router.use(actionGuard(admin));
  const page: RequestHandler = async (_req, res) => {
    const html = await renderAdminJSPage(m, admin, res.locals.admin as ConsoleAdmin);
    res.type('html').set('Cache-Control', 'no-store').send(html);
  };
  router.get(['/resources/:resourceId', '/resources/:resourceId/actions/:action', '/resources/:resourceId/records/:recordId/:action', '/resources/:resourceId/bulk/:action', '/pages/:pageName'], page);
  router.use(formidable({ maxFieldsSize: 2 * 1024 * 1024, maxFileSize: 1024 }));
  m.express.buildRoutes({ admin, routes: m.adminjs.Router.routes.filter((r) => r.path.startsWith('/api/')), router });
  return router;
}

/**
 * AdminJS's pages and JSON API (behind the login; the caller mounts it after requireAdmin),
 * each request served by the console built for its admin's audience. The pages come from the
 * console's template (page-layout.ts); AdminJS serves its API.
 */
export function adminJSRoutes(m: AdminJSModules, consoles: Record<Audience, ConsoleAdminJS>): Router {
  const router = Router();
  // A page load of the root starts at the SCIM settings (the app's own dashboard link does the same, see components/dashboard.js).
  router.get('/', (_req, res) => res.redirect('/admin/resources/ScimSetting'));
  router.use('/api', (_req, res, next) => {
    // Records of one admin must not be kept by a browser or proxy cache for the next.
    res.set('Cache-Control', 'no-store');
    next();
  });
  const routers: Record<Audience, Router> = { platform: instanceRoutes(m, consoles.platform), company: instanceRoutes(m, consoles.company) };
  router.use((req, res, next) => routers[audienceOf(res.locals.admin as ConsoleAdmin)](req, res, next));
  return router;
}
