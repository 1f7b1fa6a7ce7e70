import type { Logger } from './logger';

/** However its dependencies behave, a process has ended this long after SIGTERM or SIGINT. */
export const SHUTDOWN_BOUND_MS = 10_000;

/**
 * Runs the closers in order once, on SIGTERM or SIGINT, then exits: the HTTP server or
 * workers first (stop taking work), then queues, then Redis; the exit drops MongoDB's
 * connections (see src/http/main.ts for why it is not closed). A closer that
 * waits on a Redis or database that is gone would wait for ever, so the process exits (code 1)
 * when the closers have not finished within SHUTDOWN_BOUND_MS.
 */
export function closeOnSignals(logger: Logger, closers: Array<[string, () => Promise<unknown>]>, boundMs = SHUTDOWN_BOUND_MS): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    let current = '';
    setTimeout(() => {
      logger.error({ part: current, boundMs }, 'shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, boundMs);
    let code = 0;
    for (const [name, close] of closers) {
      current = name;
      try {
        await close();
      } catch (err) {
        code = 1;
        logger.error({ err: (err as Error).message, part: name }, 'error while closing');
      }
    }
    logger.info('stopped');
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** A missing dependency at start: one clear line and a non-zero exit code. */
export function exitOnStartFailure(logger: Logger, what: string, err: unknown): never {
  logger.fatal({ err: (err as Error).message }, `${what} failed to start`);
  process.stderr.write(`\n${what} could not start: ${(err as Error).message}\n`);
  process.exit(78);
}
