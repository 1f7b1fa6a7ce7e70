import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Request } from 'express';

export const FORM_TOKEN_FIELD = '_csrf';

/**
 * The console's own HTML forms also carry a per-session token (synchronizer pattern), in
 * addition to the same-origin check every /admin request gets.
 */
export function formToken(req: Request): string {
  req.session.formToken ??= randomBytes(24).toString('base64url');
  return req.session.formToken;
}

function matches(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** For urlencoded POST routes of the console's pages (after express.urlencoded). */
export const requireFormToken: RequestHandler = (req, res, next) => {
  const body = req.body as Record<string, unknown> | undefined;
  if (matches(body?.[FORM_TOKEN_FIELD], req.session.formToken)) return next();
  res.status(403).type('text/plain').send('This form has expired. Go back, reload the page and try again.');
};
