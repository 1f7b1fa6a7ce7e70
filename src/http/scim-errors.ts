import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ScimError } from '../scim/errors';
import { QueueUnavailableError } from '../queue/producer';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Logger } from '../logger';
import { SCIM_CONTENT_TYPE } from './context';
import { requestIdOf } from './request-id';

/** express.json's errors, by their `type`, as SCIM errors. */
function fromBodyParser(err: { type?: string; status?: number }): ScimError | undefined {
  if (err.type === 'entity.parse.failed') return new ScimError(400, 'The request body is not valid JSON.', 'invalidSyntax');
  if (err.type === 'entity.too.large') return new ScimError(413, 'The request body is too large.');
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new ScimError(415, 'Unsupported request encoding.');
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) return new ScimError(err.status, 'Bad request.');
  return undefined;
}

/** Every error leaves as an RFC 7644 §3.12 body; nothing internal is shown to the IdP. */
export function scimErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const tenant = res.locals.tenant as { scimSettingId?: { toHexString(): string } } | undefined;
    const about = { requestId: requestIdOf(req), scimSettingId: tenant?.scimSettingId?.toHexString(), method: req.method, path: req.path };
    let scimError: ScimError;
    if (err instanceof ScimError) scimError = err;
    else if (err instanceof QueueUnavailableError || isDatabaseUnavailable(err)) {
      logger.warn({ ...about, err: (err as Error).message }, 'dependency unavailable');
      scimError = new ScimError(503, 'The service is temporarily unavailable; retry later.');
    }
    else {
      const parsed = fromBodyParser(err);
      if (parsed) scimError = parsed;
      else {
        logger.error({ ...about, err }, 'unexpected error in SCIM request');
        scimError = new ScimError(500, 'Internal error.');
      }
    }
    if (scimError.status === 503) res.set('Retry-After', '5');
    res.status(scimError.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(scimError.toBody()));
  };
}

export const scimNotFound: RequestHandler = (req, _res, next) => {
  next(new ScimError(404, `No SCIM endpoint ${req.method} ${req.path}.`));
};
