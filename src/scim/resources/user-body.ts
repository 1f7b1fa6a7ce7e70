import { z } from 'zod';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, userResourceType } from '../schema/resource-types';
import { badRequest } from '../errors';
import { canonicalizeResource, type ScimResource } from './canonicalize';
import { addressAttribute, containsNul, multiValuedAttribute, scimBoolean, scimString } from './scim-values';

const list = <T extends z.ZodType>(item: T) => z.array(item).max(100).optional();

/**
 * The User body of POST and PUT, and the result of every PATCH, after canonicalize():
 * the one contract a stored SCIM User satisfies.
 */
export const userBodySchema = z.looseObject({
  schemas: z.array(z.string()).max(20).optional(),
  userName: z.string().trim().min(1, 'userName must not be empty').max(256),
  externalId: scimString(256).optional(),
  name: z
    .looseObject({
      formatted: scimString().optional(),
      familyName: scimString().optional(),
      givenName: scimString().optional(),
      middleName: scimString().optional(),
      honorificPrefix: scimString().optional(),
      honorificSuffix: scimString().optional(),
    })
    .optional(),
  displayName: scimString().optional(),
  nickName: scimString().optional(),
  profileUrl: scimString().optional(),
  title: scimString().optional(),
  userType: scimString().optional(),
  preferredLanguage: scimString(64).optional(),
  locale: scimString(64).optional(),
  timezone: scimString(64).optional(),
  active: scimBoolean.optional(),
  emails: list(multiValuedAttribute),
  phoneNumbers: list(multiValuedAttribute),
  ims: list(multiValuedAttribute),
  photos: list(multiValuedAttribute),
  addresses: list(addressAttribute),
  entitlements: list(multiValuedAttribute),
  roles: list(multiValuedAttribute),
  x509Certificates: list(multiValuedAttribute),
  [ENTERPRISE_USER_SCHEMA]: z
    .looseObject({
      employeeNumber: scimString().optional(),
      costCenter: scimString().optional(),
      organization: scimString().optional(),
      division: scimString().optional(),
      department: scimString().optional(),
      manager: z
        .union([
          z.looseObject({
            value: scimString().optional(),
            $ref: scimString().optional(),
            displayName: scimString().optional(),
            managerId: scimString().optional(),
          }),
          // Some IdPs send the manager's id as a bare string.
          scimString().transform((value) => ({ value })),
        ])
        .optional(),
    })
    .optional(),
});

export type UserBody = z.infer<typeof userBodySchema>;

/** Canonical names, unknown attributes dropped, types checked; `schemas` always lists what is present. */
export function parseUserBody(body: unknown): ScimResource {
  const canonical = canonicalizeResource(body, userResourceType);
  return validateUser(canonical);
}

export function validateUser(resource: ScimResource): ScimResource {
  const result = userBodySchema.safeParse(resource);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'body';
    throw badRequest('invalidValue', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  const user = result.data as ScimResource;
  if (containsNul(user)) throw badRequest('invalidValue', 'Text must not contain the NUL character (U+0000).');
  const schemas = new Set<string>([USER_SCHEMA]);
  for (const s of user.schemas as string[] | undefined ?? []) if (s !== USER_SCHEMA) schemas.add(s);
  if (user[ENTERPRISE_USER_SCHEMA]) schemas.add(ENTERPRISE_USER_SCHEMA);
  else schemas.delete(ENTERPRISE_USER_SCHEMA);
  return { ...user, schemas: [...schemas] };
}
