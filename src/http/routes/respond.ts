import type { Request, Response } from 'express';
import { SCIM_CONTENT_TYPE, type IntakeContext } from '../context';
import { QueueUnavailableError } from '../../queue/producer';
import { badRequest } from '../../scim/errors';

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

/** Fail fast: nothing is written while its projection could not be queued. */
export function requireWritable(ctx: IntakeContext, req: Request): void {
  if (!ctx.producer.ready) throw new QueueUnavailableError(`Queue unavailable for ${req.method} ${req.path}`);
}

export function bodyOf(req: Request): unknown {
  if (req.body === undefined) throw badRequest('invalidSyntax', 'Expected a JSON body (Content-Type: application/scim+json).');
  return req.body;
}
