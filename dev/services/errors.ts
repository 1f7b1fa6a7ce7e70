/**
 * The embedded services could not start: a tool is missing (redis-server, Go, PostgreSQL client)
 * or a server refused to come up. The message says what and how to fix it, so callers print
 * `message` alone (no stack) and exit non-zero.
 */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
}

/** Informational lines and warnings (e.g. a fallback was taken); `level` defaults to info. */
export type ServiceLog = (message: string, level?: 'info' | 'warn') => void;
