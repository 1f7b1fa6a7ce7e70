import { Router, type RequestHandler } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Producer } from '../../src/queue/producer';
import { isPlatformAdmin, type ConsoleAdmin } from '../auth/console-admin';

export const QUEUES_PATH = '/admin/queues';

/** Contract fields that may be shown: ids, versions and the IdP operation (src/queue/contracts.ts). */
const SHOWN_FIELDS = ['companyId', 'scimSettingId', 'resourceId', 'version', 'operation', 'rulesVersion'];

/** Job data as the dashboard shows it: payloads hold only ids by contract, and anything else is dropped here too. */
export function jobDataForDisplay(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(Object.entries(data).filter(([key]) => SHOWN_FIELDS.includes(key)));
}

/** Queue dashboards span every company, so only platform admins reach them. */
const platformAdminsOnly: RequestHandler = (_req, res, next) => {
  if (isPlatformAdmin(res.locals.admin as ConsoleAdmin | undefined)) return next();
  res.status(403).type('text/plain').send('Only platform admins can see the queues.');
};

/** bull-board's page links Google Fonts (IBM Plex); the console asks no third party, so the link goes and the page's fallback fonts apply. */
const withoutThirdPartyFonts: RequestHandler = (_req, res, next) => {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' ? body.replace(/<link[^>]*fonts\.googleapis\.com[^>]*>/g, '') : body);
  next();
};

/** Queue and job details of every company must not be kept by a browser or proxy cache. */
const notStored: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * bull-board over the producer's queues (projection and maintenance, with QUEUE_PREFIX):
 * counts per state, job details and retrying failed jobs.
 */
export function queueDashboard(producer: Producer): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  const adapters = Object.values(producer.queues).map((queue) => {
    const adapter = new BullMQAdapter(queue, { readOnlyMode: false, allowRetries: true });
    adapter.setFormatter('data', jobDataForDisplay);
    return adapter;
  });
  createBullBoard({ queues: adapters, serverAdapter, options: { uiConfig: { boardTitle: 'SCIM queues' } } });
  const router = Router();
  router.use(platformAdminsOnly, notStored, withoutThirdPartyFonts, serverAdapter.getRouter() as RequestHandler);
  return router;
}
