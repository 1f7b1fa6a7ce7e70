import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON line per event; `component` (web, worker), `host` and `pid` say which process wrote it. */
export function createLogger(level: string, component: string, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { component, host: hostname(), pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
