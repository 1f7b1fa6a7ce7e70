import { createHash } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { LOCKOUT_POLICY } from './lockout';

export const LOGIN_FAILURES_COLLECTION = 'admin_login_failures';

/** Failures older than this are forgotten; enough to reach and hold the longest lock. */
const REMEMBER_MS = 24 * 60 * 60 * 1000;
/** Beyond this many the lock no longer grows (LOCKOUT_POLICY caps it), so no more are read. */
const MOST_COUNTED = LOCKOUT_POLICY.freeFailures + 32;

interface FailureDocument {
  /** Hash of the e-mail address and the client address tried from. */
  key: string;
  /** Hash of the e-mail address alone, to unlock an account from everywhere (create-admin --reset-password). */
  account: string;
  at: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Failed console sign-ins, kept per e-mail address *and* client address: a stranger guessing
 * from elsewhere cannot lock a real admin out, and an unknown e-mail address is counted exactly
 * like a known one, so the answers never tell them apart. One document per failure (inserts are
 * atomic on FerretDB, where an `$inc` on one counter could lose concurrent failures); hashed
 * keys, so the collection names neither admins nor addresses.
 */
export class LoginFailures {
  private readonly collection: Collection<FailureDocument>;

  constructor(connection: Connection) {
    this.collection = connection.collection<FailureDocument>(LOGIN_FAILURES_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ key: 1, at: -1 });
    await this.collection.createIndex({ account: 1 });
    await this.collection.createIndex({ at: 1 });
  }

  static key(email: string, address: string): string {
    return sha256(`${normaliseEmail(email)}\n${address}`);
  }

  /** Failures for `key` since its last successful sign-in (within the memory window), and the latest one's time. */
  async recent(key: string, now: Date): Promise<{ count: number; last: Date | null }> {
    const docs = await this.collection
      .find({ key, at: { $gt: new Date(now.getTime() - REMEMBER_MS) } }, { projection: { at: 1 } })
      .sort({ at: -1 })
      .limit(MOST_COUNTED)
      .toArray();
    return { count: docs.length, last: docs[0]?.at ?? null };
  }

  /** Records a failure and forgets everyone's failures older than the memory window. */
  async record(key: string, email: string, now: Date): Promise<void> {
    await this.collection.insertOne({ key, account: sha256(normaliseEmail(email)), at: now });
    await this.collection.deleteMany({ at: { $lt: new Date(now.getTime() - REMEMBER_MS) } });
  }

  /** A successful sign-in starts the count afresh for that e-mail address and client address. */
  async clear(key: string): Promise<void> {
    await this.collection.deleteMany({ key });
  }

  /** Unlocks an account from every address. */
  async clearAccount(email: string): Promise<void> {
    await this.collection.deleteMany({ account: sha256(normaliseEmail(email)) });
  }
}
