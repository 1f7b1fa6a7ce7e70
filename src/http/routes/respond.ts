import type { Request, Response } from 'express';
import { SCIM_CONTENT_TYPE, type IntakeContext } from '../context';
import { QueueUnavailableError } from '../../queue/producer';
import { badRequest, ScimError } from '../../scim/errors';
import { checkRequestBody } from '../../scim/request-body';
import type { AttributeQuery } from '../../scim/resources/attribute-selection';

export function sendScim(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** A query parameter as one string: repeated parameters are a client error, not an array to guess from. */
export function queryText(req: Request, name: string): string | undefined {
  const entry = Object.entries(req.query).find(([key]) => key.toLowerCase() === name.toLowerCase());
  const value = entry?.[1];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('invalidValue', `Query parameter ${name} must be given once.`);
  return value;
}

/** RFC 7644 §3.4.2.5 attribute selection, as the request asks for it. */
export function attributeQuery(req: Request): AttributeQuery {
  return { attributes: queryText(req, 'attributes'), excludedAttributes: queryText(req, 'excludedAttributes') };
}

/** Fail fast: nothing is written while its projection could not be queued. */
export function requireWritable(ctx: IntakeContext, req: Request): void {
  if (!ctx.producer.ready) throw new QueueUnavailableError(`Queue unavailable for ${req.method} ${req.path}`);
}

/**
 * The parsed JSON body, checked for nesting and unpaired surrogates before any code walks it.
 * The JSON parser leaves a body of any other media type unread: that is a 415, not a missing body.
 */
export function bodyOf(req: Request): unknown {
  if (req.body !== undefined) {
    checkRequestBody(req.body);
    return req.body;
  }
  const sent = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (sent) throw new ScimError(415, `Unsupported Content-Type "${req.get('content-type') ?? ''}"; send application/scim+json.`);
  throw badRequest('invalidSyntax', 'Expected a JSON body (Content-Type: application/scim+json).');
}
