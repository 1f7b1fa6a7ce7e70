import type { Connection } from 'mongoose';

/** Console sessions: written and read by connect-mongo's session store (admin/auth/session.ts), given this collection by design. */
export const SESSIONS_COLLECTION = 'admin_sessions';

/**
 * Removes expired console sessions with an acknowledged delete; how many. Platform-level, not
 * tenant-scoped: sessions of every admin expire alike, and the sweep reads none of them.
 */
export async function sweepExpiredSessions(connection: Connection, now: Date): Promise<number> {
  const result = await connection.collection(SESSIONS_COLLECTION).deleteMany({ expires: { $lt: now } });
  return result.deletedCount;
}
