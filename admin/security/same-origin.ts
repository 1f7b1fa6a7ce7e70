import type { RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where the console is served from: PUBLIC_BASE_URL's origin, or the scheme and Host of the request. */
export function expectedOrigin(publicBaseUrl: string | undefined, protocol: string, host: string | undefined): string | undefined {
  if (publicBaseUrl) return new URL(publicBaseUrl).origin;
  return host ? `${protocol}://${host}` : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * True when a state-changing request names the console's own origin. Browsers send Origin on
 * every POST (Referer as a fallback for old ones); a request with neither is refused, because
 * a forged request is exactly the one that would leave them out.
 */
export function isSameOrigin(headers: { origin?: string; referer?: string }, expected: string | undefined): boolean {
  if (!expected) return false;
  if (headers.origin !== undefined) return headers.origin !== 'null' && originOf(headers.origin) === expected;
  if (headers.referer !== undefined) return originOf(headers.referer) === expected;
  return false;
}

/**
 * CSRF defence for everything under /admin, AdminJS's JSON API included: its session cookie
 * is SameSite=Lax (no cross-site POST carries it) and, in depth, every non-GET request must
 * come from the console's own origin.
 */
export function sameOriginOnly(publicBaseUrl: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const expected = expectedOrigin(publicBaseUrl, req.protocol, req.get('host'));
    if (isSameOrigin({ origin: req.get('origin'), referer: req.get('referer') }, expected)) return next();
    res.status(403).type('text/plain').send('Cross-site request refused.');
  };
}
