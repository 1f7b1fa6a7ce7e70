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

/**
 * Whether any text in a JSON value holds U+0000. PostgreSQL (under FerretDB) cannot store it,
 * so such a value would fail its write, or poison every projection of the user, with no
 * meaning lost by refusing it: no IdP attribute carries a NUL.
 */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));
  return false;
}
