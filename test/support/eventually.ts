/**
 * Tests wait on conditions, never on fixed sleeps: `eventually` reads until `done` holds and
 * returns what it read. At the deadline it returns the last value instead of throwing, so the
 * test's own assertion on it reports what was there (use it for work that happens off the
 * request's path: sync activity written after a job's outcome, "last used" written after an
 * answer, a job moving between BullMQ states). Background projections have `TestSystem.idle()`.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
