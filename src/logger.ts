import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON line per event; `component` says which process part wrote it. */
export function createLogger(level: string, component: string): Logger {
  return pino({ level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime });
}
