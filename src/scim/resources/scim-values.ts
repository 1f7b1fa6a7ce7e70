import { z } from 'zod';

/** Entra sends "True"/"False" and OneLogin "{$user.active}" as strings for booleans. */
export const scimBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^\s*(true|false)\s*$/i, 'expected true or false')
    .transform((s) => s.trim().toLowerCase() === 'true'),
]);

/** Numbers and booleans are accepted as text: several IdPs send employee numbers unquoted. */
export const scimString = (max = 1024) =>
  z.union([z.string().max(max), z.number().transform(String), z.boolean().transform(String)]);

export const multiValuedAttribute = z.looseObject({
  value: scimString().optional(),
  display: scimString().optional(),
  type: scimString(64).optional(),
  primary: scimBoolean.optional(),
});

export const addressAttribute = z.looseObject({
  formatted: scimString().optional(),
  streetAddress: scimString().optional(),
  locality: scimString().optional(),
  region: scimString().optional(),
  postalCode: scimString(64).optional(),
  country: scimString(64).optional(),
  type: scimString(64).optional(),
  primary: scimBoolean.optional(),
});
