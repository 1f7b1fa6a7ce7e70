import { z } from 'zod';
import { GROUP_SCHEMA, groupResourceType } from '../schema/resource-types';
import { badRequest } from '../errors';
import { canonicalizeResource, type ScimResource } from './canonicalize';
import { scimString } from './scim-values';

/** Generous for any IdP; the body-size limit is the practical bound. */
export const MAX_GROUP_MEMBERS = 100_000;

const memberSchema = z.looseObject({
  value: z.string().trim().min(1, 'a member needs a value').max(64),
  display: scimString().optional(),
  type: scimString(16).optional(),
  $ref: scimString().optional(),
});

/** The Group body of POST and PUT, and the result of every PATCH, after canonicalize(). */
export const groupBodySchema = z.looseObject({
  schemas: z.array(z.string()).max(20).optional(),
  displayName: z.string().trim().min(1, 'displayName must not be empty').max(256),
  externalId: scimString(256).optional(),
  members: z.array(memberSchema).max(MAX_GROUP_MEMBERS).optional(),
});

export type GroupBody = z.infer<typeof groupBodySchema>;
export type GroupMember = z.infer<typeof memberSchema>;

export function parseGroupBody(body: unknown): ScimResource {
  return validateGroup(canonicalizeResource(body, groupResourceType));
}

/** Duplicate members collapse to one: a membership is a set. */
export function validateGroup(resource: ScimResource): ScimResource {
  const result = groupBodySchema.safeParse(resource);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw badRequest('invalidValue', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const group = result.data;
  const seen = new Set<string>();
  const members = (group.members ?? []).filter((m) => !seen.has(m.value) && seen.add(m.value));
  const schemas = new Set<string>([GROUP_SCHEMA, ...(group.schemas ?? [])]);
  return { ...group, schemas: [...schemas], members };
}
