/**
 * A time on the console's own pages, to the minute. The server does not know the admin's time
 * zone, so it says UTC; the machine-readable value is in the element's datetime attribute.
 */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
