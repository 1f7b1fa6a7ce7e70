import { Router, type RequestHandler, type Response } from 'express';
import type { ConsoleAdmin } from '../auth/console-admin';
import { notFoundPage } from '../pages/layout';
import { runsOnGet } from './action-methods';
import type { ConsoleAdminJS } from './build';

type ActionKind = 'resource' | 'record' | 'bulk';

/** Express routes GET handlers for HEAD too, and AdminJS then runs the action with method "head". */
const READ_METHODS = new Set(['GET', 'HEAD']);

const apiNotFound = (res: Response, what: string) => void res.status(404).json({ error: `No such ${what}.` });
const pageNotFound = (res: Response) => void res.status(404).type('html').send(notFoundPage(res.locals.admin as ConsoleAdmin));

const isKind = (kind: ActionKind, action: { isResourceType(): boolean; isRecordType(): boolean; isBulkType(): boolean }) =>
  kind === 'resource' ? action.isResourceType() : kind === 'record' ? action.isRecordType() : action.isBulkType();

/**
 * In front of AdminJS's routes (after the login): a resource, action or record that does not
 * exist, or lies outside the admin's company, answers 404 before AdminJS sees the request
 * (AdminJS answered an unknown action with a 500 and a foreign record with a 200 error notice);
 * and an action that changes data is never run by a GET or HEAD (see action-methods.ts).
 */
export function actionGuard(admin: ConsoleAdminJS): Router {
  const router = Router();
  const resourceById = (id: string) => admin.resources.find((r) => r.decorate().id() === id);

  const check =
    (kind: ActionKind, surface: 'api' | 'page', fixedAction?: string): RequestHandler =>
    async (req, res, next) => {
      const notFound = (what: string) => (surface === 'api' ? apiNotFound(res, what) : pageNotFound(res));
      const resource = resourceById(String(req.params.resourceId));
      if (!resource) return notFound('resource');
      const name = fixedAction ?? String(req.params.action);
      const action = Object.hasOwn(resource.decorate().actions, name) ? resource.decorate().actions[name] : undefined;
      if (!action || !isKind(kind, action)) return notFound('action');
      if (kind === 'record' && !(await resource.findOne(String(req.params.recordId)))) return notFound('record');
      if (kind === 'bulk' && surface === 'api') {
        const ids = typeof req.query.recordIds === 'string' ? req.query.recordIds.split(',') : [];
        if ((await resource.findMany(ids)).length === 0) return notFound('record');
      }
      if (surface === 'page' || !READ_METHODS.has(req.method) || runsOnGet(name, action.custom())) return next();
      if (kind === 'record' && name === 'edit') {
        // AdminJS's edit page loads its record with a GET to edit: answered as the read it is.
        req.url = req.url.replace(/\/edit(?=\?|$)/, '/show');
        return next();
      }
      res.status(405).set('Allow', 'POST').json({ error: 'This action changes data: it runs only when the console sends it as a POST.' });
    };

  router.all('/api/resources/:resourceId/actions/:action{/:query}', check('resource', 'api'));
  router.all('/api/resources/:resourceId/records/:recordId/:action', check('record', 'api'));
  router.all('/api/resources/:resourceId/bulk/:action', check('bulk', 'api'));
  // AdminJS's older search route runs the search action.
  router.all('/api/resources/:resourceId/search{/:query}', check('resource', 'api', 'search'));
  router.all('/resources/:resourceId', (req, res, next) => (resourceById(String(req.params.resourceId)) ? next() : pageNotFound(res)));
  router.all('/resources/:resourceId/actions/:action', check('resource', 'page'));
  router.all('/resources/:resourceId/records/:recordId/:action', check('record', 'page'));
  router.all('/resources/:resourceId/bulk/:action', check('bulk', 'page'));
  // The console's dashboard and pages are components only: their API has nothing to answer.
  router.all(['/api/dashboard', '/api/pages/:pageName'], (_req, res) => apiNotFound(res, 'page'));
  const pages = admin.options.pages ?? {};
  router.all('/pages/:pageName', (req, res, next) => (Object.hasOwn(pages, String(req.params.pageName)) ? next() : pageNotFound(res)));
  return router;
}
