import type { Request, RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';

/** Requests no route answered (unknown paths, static files, tokens refused before routing). */
const UNMATCHED_ROUTE = 'unmatched';

export type RequestDurations = Histogram<'method' | 'route' | 'status'>;

export function requestDurations(registry: Registry): RequestDurations {
  return new Histogram({
    name: 'scim_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template (mount path lower-cased) and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/**
 * A route's template: where its router is mounted (lower-cased, since paths match whatever
 * their case and a client must not mint label values) and its path as declared, never the
 * request's path with its ids. A router's own root is its mount: `/scim/v2/users`.
 */
export function routeTemplate(baseUrl: string, path: unknown): string {
  const base = baseUrl.toLowerCase();
  const paths: unknown[] = Array.isArray(path) ? path : [path];
  return paths.map((p) => (p === '/' && base !== '' ? base : `${base}${String(p)}`)).join('|');
}

/**
 * Express restores `req.baseUrl` as an error leaves a router, so by the time a failed request
 * is answered its `baseUrl` no longer belongs to the route that failed. The template is taken
 * when Express sets `req.route`, the route it matched, while `baseUrl` is still that route's.
 */
function watchRoute(req: Request): () => string {
  let route: unknown;
  let template = UNMATCHED_ROUTE;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      if (value?.path !== undefined) template = routeTemplate(req.baseUrl, value.path);
    },
  });
  return () => template;
}

/** Times every answered request, /metrics and the probes included. */
export function timeRequests(durations: RequestDurations): RequestHandler {
  return (req, res, next) => {
    const stop = durations.startTimer();
    const template = watchRoute(req);
    res.once('finish', () => stop({ method: req.method, route: template(), status: String(res.statusCode) }));
    next();
  };
}
