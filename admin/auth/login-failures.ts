import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { adminLoginFailures, LOGIN_FAILURES_COLLECTION } from '../../src/store/admin-login-failures';
import { LOCKOUT_POLICY } from './lockout';

export { LOGIN_FAILURES_COLLECTION };

/** Failures older than this are forgotten; enough to reach and hold the longest lock. */
const REMEMBER_MS = 24 * 60 * 60 * 1000;
/** Beyond this many the lock no longer grows (LOCKOUT_POLICY caps it), so no more are read. */
const MOST_COUNTED = LOCKOUT_POLICY.freeFailures + 32;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Failed console sign-ins, kept per e-mail address *and* client address: a stranger guessing
 * from elsewhere cannot lock a real admin out, and an unknown e-mail address is counted exactly
 * like a known one, so the answers never tell them apart. One document per failure (inserts are
 * atomic on FerretDB, where an `$inc` on one counter could lose concurrent failures); hashed
 * keys, so the collection names neither admins nor addresses. Stored through
 * src/store/admin-login-failures.ts.
 */
export class LoginFailures {
  constructor(private readonly connection: Connection) {}

  async ensureIndexes(): Promise<void> {
    await adminLoginFailures.ensureIndexes(this.connection);
  }

  static key(email: string, address: string): string {
    return sha256(`${normaliseEmail(email)}\n${address}`);
  }

  /** Failures for `key` since its last successful sign-in (within the memory window), and the latest one's time. */
  async recent(key: string, now: Date): Promise<{ count: number; last: Date | null }> {
    const docs = await adminLoginFailures.recent(this.connection, key, new Date(now.getTime() - REMEMBER_MS), MOST_COUNTED);
    return { count: docs.length, last: docs[0]?.at ?? null };
  }

  /** Records a failure and forgets everyone's failures older than the memory window. */
  async record(key: string, email: string, now: Date): Promise<void> {
    await adminLoginFailures.record(this.connection, { key, account: sha256(normaliseEmail(email)), at: now }, new Date(now.getTime() - REMEMBER_MS));
  }

  /** A successful sign-in starts the count afresh for that e-mail address and client address. */
  async clear(key: string): Promise<void> {
    await adminLoginFailures.clearKey(this.connection, key);
  }

  /** Unlocks an account from every address. */
  async clearAccount(email: string): Promise<void> {
    await adminLoginFailures.clearAccount(this.connection, sha256(normaliseEmail(email)));
  }
}
