import { mongo } from 'mongoose';

/** Errors that say the database is away or switching primaries: the request may succeed later. */
const UNAVAILABLE = [
  mongo.MongoNetworkError, // includes timeouts and a cleared connection pool
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoServerClosedError,
  mongo.MongoOperationTimeoutError,
];

/**
 * Whether an error means "the database cannot be reached right now" (answered 503 with
 * Retry-After), as opposed to a bug or a refused command (500). A failover's
 * "not writable primary" carries the driver's RetryableWriteError label.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (UNAVAILABLE.some((type) => err instanceof type)) return true;
  return err instanceof mongo.MongoError && err.hasErrorLabel('RetryableWriteError');
}
