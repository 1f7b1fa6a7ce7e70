import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

/**
 * An id a caller may choose (a gateway's or the IdP's own correlation id) is kept only when it is
 * short and plain: it goes into log lines, job payloads and sync activity, so it must not carry
 * line breaks, markup or a megabyte. Anything else gets an id of our own.
 */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

export function assignRequestId(req: IncomingMessage): string {
  const offered = req.headers['x-request-id'];
  return typeof offered === 'string' && ACCEPTED.test(offered) ? offered : randomUUID();
}

/** The id pino-http gave this request (assignRequestId): returned in X-Request-Id, carried by its jobs, due records and sync activity. */
export const requestIdOf = (req: Request): string => String(req.id);
