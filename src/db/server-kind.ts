import type { Connection } from 'mongoose';

const known = new WeakMap<Connection, Promise<boolean>>();

/**
 * Whether the server is FerretDB, which reports itself in buildInfo. Bulk paths differ: one
 * `update` command that changes more than ~30 existing documents hangs FerretDB 1.24 for every
 * client (src/store/target-users.ts replaces them one by one there), and an `$in` is matched
 * over every document of the tenant, so lists are read one equality per value (src/store/by-values.ts).
 */
export function isFerretDb(connection: Connection): Promise<boolean> {
  let answer = known.get(connection);
  if (!answer) {
    const db = connection.db;
    answer = db === undefined ? Promise.resolve(false) : db.admin().command({ buildInfo: 1 }).then((info) => 'ferretdbVersion' in info);
    known.set(connection, answer);
  }
  return answer;
}
