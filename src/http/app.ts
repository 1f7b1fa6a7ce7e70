import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { IntakeContext } from './context';
import { scimRouter } from './scim-router';
import { checkReadiness } from '../health/dependencies';
import { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from './request-id';
import { timeRequests } from '../metrics/http-requests';
import { metricsHandler } from '../metrics/endpoint';
import { databaseConnection } from '../store/connection';

/**
 * The web process's HTTP app: the SCIM intake (and, mounted by main.ts, the console).
 * Logs one line per request with method, path, status, latency and the SCIM setting;
 * never the query string or body, which carry user names and e-mail addresses.
 */
export function createWebApp(ctx: IntakeContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(timeRequests(ctx.metrics.requests));
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: assignRequestId,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customProps: (_req, res) => {
        const tenant = res.locals?.tenant as { scimSettingId?: { toHexString(): string } } | undefined;
        const clientAddress = res.locals?.clientAddress as string | undefined;
        return {
          ...(tenant?.scimSettingId ? { scimSettingId: tenant.scimSettingId.toHexString() } : {}),
          // Refused tokens: who is knocking (the token itself is never logged).
          ...(clientAddress !== undefined ? { clientAddress } : {}),
        };
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use((req, res, next) => {
    res.setHeader(REQUEST_ID_HEADER, requestIdOf(req));
    next();
  });
  // Liveness: the process answers. Readiness: its Redis and MongoDB answer within a bound.
  app.get('/healthz', (_req, res) => {
    res.json({ status: ctx.producer.ready ? 'ok' : 'degraded', redis: ctx.producer.ready });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(ctx.producer.redis, databaseConnection(ctx.models));
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'unavailable', redis: readiness.redis, mongodb: readiness.mongodb });
  });
  app.get('/metrics', metricsHandler(ctx.metrics.registry, ctx.config.metricsToken));
  const scim = scimRouter(ctx);
  app.use('/scim/v2', scim);
  app.use('/scim', scim);
  return app;
}
