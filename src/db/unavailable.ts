import { mongo } from 'mongoose';

/** Errors that say the database is away or switching primaries: the request may succeed later. */
const UNAVAILABLE = [
  mongo.MongoNetworkError, // includes timeouts and a cleared connection pool
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoServerClosedError,
  mongo.MongoOperationTimeoutError,
  // A server that dies between request and answer can close the socket cleanly: the driver then
  // reports "Unable to get response from server" instead of a network error.
  mongo.MongoUnexpectedServerResponseError,
];

/**
 * Server error codes of a replica set changing primaries or shutting down (the driver's own
 * list of "state change" errors): what a read or a write gets during a failover after the
 * driver's one retry. NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary,
 * PrimarySteppedDown, InterruptedDueToReplStateChange, InterruptedAtShutdown, ShutdownInProgress.
 */
const STATE_CHANGE_CODES = new Set([10107, 13435, 13436, 189, 11602, 11600, 91]);

/** Node's codes for a connection the other side closed, reset or refused. */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether an error means "the database cannot be reached right now" (answered 503 with
 * Retry-After), as opposed to a bug or a refused command (500). A failover's
 * "not writable primary" carries the driver's RetryableWriteError label.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (UNAVAILABLE.some((type) => err instanceof type)) return true;
  // A write to a socket the dying server already closed surfaces as Node's own error (EPIPE),
  // not wrapped by the driver. Read by its code, not `instanceof Error`: Node makes that error in
  // its own realm, which is not the caller's under a VM context (Jest's test environment).
  if (typeof err === 'object' && err !== null && SOCKET_CODES.has(String((err as { code?: unknown }).code))) return true;
  if (!(err instanceof mongo.MongoError)) return false;
  // insertMany and bulkWrite wrap a driver error (a connection reset by a dying server) in a
  // MongoBulkWriteError, keeping the original as its errorResponse.
  const wrapped = (err as { errorResponse?: unknown }).errorResponse;
  if (err instanceof mongo.MongoBulkWriteError && typeof wrapped === 'object' && wrapped !== null && wrapped !== err) return isDatabaseUnavailable(wrapped);
  return err.hasErrorLabel('RetryableWriteError') || (typeof err.code === 'number' && STATE_CHANGE_CODES.has(err.code));
}
