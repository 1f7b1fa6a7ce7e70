import { Router } from 'express';
import formidable from 'express-formidable';
import { actionGuard } from './action-guard';
import type { ConsoleAdminJS } from './build';
import type { AdminJSModules } from './esm';

/**
 * AdminJS asks for components.bundle.js on every page; with no custom components its content
 * is fixed, so it is served from here instead of running AdminJS's rollup bundler (which
 * would write .adminjs/ at start or on the first request).
 */
const EMPTY_COMPONENTS_BUNDLE = 'AdminJS.UserComponents = {};\n';

/** AdminJS's static front-end files: public, like the login page that needs them. */
export function adminJSAssets(m: AdminJSModules, admin: ConsoleAdminJS): Router {
  const router = Router();
  router.get('/frontend/assets/components.bundle.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'public, max-age=300').send(EMPTY_COMPONENTS_BUNDLE);
  });
  const { routes, assets } = m.adminjs.Router;
  // Only the asset routes: with the bundler route taken above, nothing here bundles.
  m.express.buildAssets({ admin, assets, routes: routes.filter((r) => r.action !== 'bundleComponents'), router });
  return router;
}

/** AdminJS's pages and JSON API (behind the login; the caller mounts it after requireAdmin). */
export function adminJSRoutes(m: AdminJSModules, admin: ConsoleAdminJS): Router {
  const router = Router();
  // Instead of AdminJS's dashboard (product links and promotion), start at the SCIM settings.
  router.get('/', (_req, res) => res.redirect('/admin/resources/ScimSetting'));
  router.use(actionGuard(admin));
  router.use(formidable({ maxFieldsSize: 2 * 1024 * 1024, maxFileSize: 1024 }));
  m.express.buildRoutes({ admin, routes: m.adminjs.Router.routes, router });
  return router;
}
