import { createServer, type Server } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readiness } from './dependencies';

/**
 * The worker process's HTTP endpoints (it serves no other HTTP): `/healthz` answers while the
 * process runs, `/readyz` answers 503 while its Redis or MongoDB does not answer in time,
 * `/metrics` is the process's metrics (src/metrics/endpoint.ts).
 */
export function startProbeServer(port: number, readiness: () => Promise<Readiness>, metrics: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'GET only' });
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/metrics') return metrics(req, res);
    if (path === '/readyz') {
      void readiness().then(
        (r) => send(r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'unavailable', redis: r.redis, mongodb: r.mongodb }),
        () => send(503, { status: 'unavailable' }),
      );
      return undefined;
    }
    return send(404, { error: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
