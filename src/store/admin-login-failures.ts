import type { Connection } from 'mongoose';

/** One document per failed console sign-in (admin/auth/login-failures.ts keeps the policy: hashing, window, lockout). */
export const LOGIN_FAILURES_COLLECTION = 'admin_login_failures';

export interface LoginFailureDocument {
  /** Hash of the e-mail address and the client address tried from. */
  key: string;
  /** Hash of the e-mail address alone, to unlock an account from everywhere (create-admin --reset-password). */
  account: string;
  at: Date;
}

const failures = (connection: Connection) => connection.collection<LoginFailureDocument>(LOGIN_FAILURES_COLLECTION);

/**
 * Failed console sign-ins as stored: a collection without a model, on the models' connection
 * (src/store/connection.ts). Platform-level, not tenant-scoped: sign-ins fail before anyone is
 * signed in, and the records name no company, only hashes of an e-mail address and a client address.
 */
export const adminLoginFailures = {
  async ensureIndexes(connection: Connection): Promise<void> {
    await failures(connection).createIndex({ key: 1, at: -1 });
    await failures(connection).createIndex({ account: 1 });
    await failures(connection).createIndex({ at: 1 });
  },

  /** The failures for `key` since `since`, newest first, at most `limit` of them. */
  async recent(connection: Connection, key: string, since: Date, limit: number): Promise<Array<Pick<LoginFailureDocument, 'at'>>> {
    return failures(connection).find({ key, at: { $gt: since } }, { projection: { at: 1 } }).sort({ at: -1 }).limit(limit).toArray();
  },

  /** Records a failure, and forgets everyone's failures from before `forgetBefore`. */
  async record(connection: Connection, failure: LoginFailureDocument, forgetBefore: Date): Promise<void> {
    await failures(connection).insertOne(failure);
    await failures(connection).deleteMany({ at: { $lt: forgetBefore } });
  },

  async clearKey(connection: Connection, key: string): Promise<void> {
    await failures(connection).deleteMany({ key });
  },

  async clearAccount(connection: Connection, account: string): Promise<void> {
    await failures(connection).deleteMany({ account });
  },
};
