/**
 * How long a scrape waits for one source (Redis, MongoDB). The sources are read in parallel,
 * so a scrape answers within about this long even while a server is stalled.
 */
const SCRAPE_READ_TIMEOUT_MS = 1500;

/**
 * A read for scrape time that answers within `timeoutMs`: its value, or undefined when the
 * source failed or did not answer in time. While a read is in flight (a stalled server keeps
 * it waiting) later calls share it instead of piling up more commands on the server.
 */
export function boundedRead<T>(read: () => Promise<T>, timeoutMs = SCRAPE_READ_TIMEOUT_MS): () => Promise<T | undefined> {
  let inFlight: Promise<T | undefined> | undefined;
  return () => {
    inFlight ??= Promise.resolve()
      .then(read)
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    const pending = inFlight;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      void pending.then((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  };
}
