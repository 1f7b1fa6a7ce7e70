/**
 * How long a fault test keeps its server down. The default suite uses the short outage (the
 * suite must stay well under ten minutes on two cores); `npm run test:long-outages` sets
 * TEST_LONG_OUTAGES=1 and runs the outage tests with the lengths issue 8 names (Redis 90 s,
 * database 3 minutes). The code paths are the same: only the wait differs.
 */
export function outageMs(shortMs: number, longMs: number): number {
  return process.env.TEST_LONG_OUTAGES === '1' ? longMs : shortMs;
}
