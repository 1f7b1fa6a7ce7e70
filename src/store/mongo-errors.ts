/** E11000: a unique index refused the write. */
export const isDuplicateKey = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 11000;

/**
 * An unordered insertMany that failed only on rows already there (a replay, or another writer
 * first). A lost connection also arrives as a bulk write error, with no write errors at all: that
 * is not a replay.
 */
export function onlyDuplicateKeys(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every(isDuplicateKey);
}
