import type { Logger } from './logger';

/**
 * Runs the closers in order once, on SIGTERM or SIGINT, then exits: the HTTP server or
 * workers first (stop taking work), then queues, then MongoDB, then Redis.
 */
export function closeOnSignals(logger: Logger, closers: Array<[string, () => Promise<unknown>]>): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    let code = 0;
    for (const [name, close] of closers) {
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
