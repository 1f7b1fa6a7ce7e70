import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export type MetricsAccess = 'granted' | 'refused' | 'disabled';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may read /metrics: only `Authorization: Bearer <METRICS_TOKEN>`. The hashes are compared,
 * in constant time, so neither the token's content nor its length shows in the timing. Without
 * a configured token there is no endpoint (`disabled`, a 404).
 */
export function metricsAccess(token: string | undefined): (authorization: string | undefined) => MetricsAccess {
  if (token === undefined) return () => 'disabled';
  const wanted = digest(token);
  return (authorization) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const matches = timingSafeEqual(digest(given ?? ''), wanted);
    return matches && given !== undefined ? 'granted' : 'refused';
  };
}

/** GET /metrics, in Prometheus text format, for the web app (Express) and the worker's probe server (node:http) alike. */
export function metricsHandler(registry: Registry, token: string | undefined): (req: IncomingMessage, res: ServerResponse) => void {
  const access = metricsAccess(token);
  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  };
  return (req, res) => {
    const decision = access(req.headers.authorization);
    if (decision === 'disabled') return send(res, 404, {}, 'Not found\n');
    if (decision === 'refused') return send(res, 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' }, 'Unauthorized\n');
    void registry.metrics().then(
      (text) => send(res, 200, { 'Content-Type': registry.contentType }, text),
      (err: Error) => send(res, 500, {}, `Metrics could not be collected: ${err.message}\n`),
    );
  };
}
