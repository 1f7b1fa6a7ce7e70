import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Console passwords, stored as `scrypt$N$r$p$salt$hash` (base64url). Passwords are guessable,
 * unlike SCIM tokens, so they get a slow, memory-hard KDF with a per-user salt; the cost
 * parameters travel with each hash so they can be raised later without breaking old ones.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; the default 32 MiB cap is exactly N=2^15, r=8, so allow headroom.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`A console password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return false;
  const expected = Buffer.from(hash!, 'base64url');
  const actual = await derive(password, Buffer.from(salt!, 'base64url'), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A hash of a random password, for sign-ins with an unknown e-mail address: checking against it
 * costs what a real check costs. Made once, before the first sign-in (warmPasswordDecoy), so even
 * the first unknown address takes no longer than a known one.
 */
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));

export async function warmPasswordDecoy(): Promise<void> {
  await decoyHash();
}

/** Spends the same time as a real check, so an unknown e-mail answers as slowly as a wrong password; never matches. */
export async function burnPasswordCheck(password: string): Promise<false> {
  await verifyPassword(password, await decoyHash());
  return false;
}
