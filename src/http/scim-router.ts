import express, { Router, type RequestHandler } from 'express';
import type { IntakeContext } from './context';
import { scimAuthentication } from './scim-auth';
import { AuthFailures } from './auth-failures';
import { scimErrorHandler, scimNotFound } from './scim-errors';
import { discoveryRouter } from './routes/discovery';
import { usersRouter } from './routes/users';
import { groupsRouter } from './routes/groups';
import { countScimOperations } from '../metrics/scim-operations';
import { badRequest } from '../scim/errors';

/**
 * A User or Group id holding U+0000 names no resource, and PostgreSQL (under FerretDB) fails the
 * lookup itself: 400 invalidValue, as for a NUL in a body or a filter, before any store reads it.
 */
const refuseNulInId: RequestHandler<{ id: string }> = (req, _res, next) => {
  next(req.params.id.includes('\u0000') ? badRequest('invalidValue', 'A resource id must not contain the NUL character (U+0000).') : undefined);
};

/** The SCIM 2.0 service provider, mounted at /scim/v2 and at /scim (the Tenant URL the customer docs give). */
export function scimRouter(ctx: IntakeContext): Router {
  const router = Router({ caseSensitive: false });
  router.use(countScimOperations(ctx.metrics.scimOperations));
  router.use((req, res, next) => {
    res.locals.scimBase = req.baseUrl;
    next();
  });
  router.use(
    express.json({
      type: ['application/scim+json', 'application/json', 'application/*+json'],
      limit: ctx.config.scimMaxBodyBytes,
      strict: true,
    }),
  );
  router.use(discoveryRouter(ctx));
  const failures = new AuthFailures(ctx.producer.redis, `${ctx.producer.prefix}:auth-failures`, ctx.config.authFailuresPerMinute);
  router.use(scimAuthentication(ctx.models, failures, ctx.metrics.authRefusals));
  router.use(['/Users/:id', '/Groups/:id'], refuseNulInId);
  router.use('/Users', usersRouter(ctx));
  router.use('/Groups', groupsRouter(ctx));
  router.use(scimNotFound);
  router.use(scimErrorHandler(ctx.logger));
  return router;
}
