import type { Server, ServerResponse } from 'node:http';

/** How long requests in flight at shutdown may take to finish before their connections are cut. */
export const DRAIN_MS = 5000;

/**
 * Closing an HTTP server under steady keep-alive traffic never ends by itself: every client
 * keeps sending on its open connection. From the moment `close` is called, every response
 * still to be sent says `Connection: close`, idle connections are closed as they become idle,
 * and after `drainMs` whatever is left is cut.
 */
export function gracefulClose(server: Server, drainMs = DRAIN_MS): () => Promise<void> {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return () =>
    new Promise<void>((resolve) => {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const cut = setTimeout(() => server.closeAllConnections(), drainMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    });
}
