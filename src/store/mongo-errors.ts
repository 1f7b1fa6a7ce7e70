/** E11000: a unique index refused the write. */
export const isDuplicateKey = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 11000;

/**
 * A unique index refused an update or replacement. FerretDB v1 reports that (unlike an insert's)
 * as an internal error carrying PostgreSQL's SQLSTATE 23505 instead of E11000.
 */
export const isDuplicateOnUpdate = (err: unknown): boolean => isDuplicateKey(err) || (err instanceof Error && /\(SQLSTATE 23505\)/.test(err.message));

/**
 * An unordered insertMany that failed only on rows already there (a replay, or another writer
 * first). A lost connection also arrives as a bulk write error, with no write errors at all: that
 * is not a replay.
 */
export function onlyDuplicateKeys(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every(isDuplicateKey);
}
