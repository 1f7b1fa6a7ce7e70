import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Request } from 'express';

export type TokenReason = 'created' | 'rotated';

declare module 'express-session' {
  interface SessionData {
    /** New tokens waiting for the page that shows them, by SCIM setting id (see handOffToken). */
    tokenHandoffs: Record<string, { sealed: string; reason: TokenReason }>;
  }
}

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Carries a new token from the POST that made it to the page the browser is redirected to
 * (POST → 303 → GET, so a reload never creates or rotates again). The session keeps it sealed
 * with a key of its own that travels only in the redirect URL: neither the session store nor
 * the URL alone holds the token. Returns that key once the session is stored: express-session
 * would store it only after sending the redirect's headers, and browsers follow a redirect as
 * soon as its headers arrive, so the page could ask for the token before it was there.
 */
export async function handOffToken(req: Request, settingId: string, token: string, reason: TokenReason): Promise<string> {
  const key = randomBytes(32);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  const sealed = Buffer.concat([iv, cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
  req.session.tokenHandoffs = { ...req.session.tokenHandoffs, [settingId]: { sealed, reason } };
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
  return key.toString('base64url');
}

/**
 * The handed-off token, once: its sealed copy leaves the session on the first look, so a
 * reload or a second tab finds nothing. Null when there is none or the key does not open it.
 */
export function takeToken(req: Request, settingId: string, key: unknown): { token: string; reason: TokenReason } | null {
  const handoffs = req.session.tokenHandoffs ?? {};
  const handoff = Object.hasOwn(handoffs, settingId) ? handoffs[settingId] : undefined;
  if (!handoff) return null;
  const { [settingId]: _taken, ...rest } = handoffs;
  req.session.tokenHandoffs = rest;
  if (typeof key !== 'string') return null;
  try {
    const sealed = Buffer.from(handoff.sealed, 'base64url');
    const decipher = createDecipheriv(CIPHER, Buffer.from(key, 'base64url'), sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const token = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    return { token, reason: handoff.reason };
  } catch {
    return null;
  }
}
