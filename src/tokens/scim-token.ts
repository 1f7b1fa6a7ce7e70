import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SCIM bearer tokens: `scim_<prefix>_<secret>`. The prefix (48 random bits) finds the setting
 * and is safe to show; the secret carries 256 random bits. Only the SHA-256 of the whole
 * token is stored; with that much entropy a slow KDF would add cost and no safety.
 */
const TOKEN_PATTERN = /^scim_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  token: string;
  prefix: string;
  hash: string;
}

export function issueToken(): IssuedToken {
  const prefix = randomBytes(6).toString('hex');
  const token = `scim_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The prefix of a well-formed token, or undefined: malformed tokens never reach the database. */
export function tokenPrefix(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** What the console shows in place of a token once it has been displayed. */
export const displayPrefix = (prefix: string) => `scim_${prefix}_…`;
