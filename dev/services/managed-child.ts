import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { guardChild } from './orphan-guard';

export interface ManagedChild {
  readonly pid: number;
  /** Why the child is no longer running, or undefined while it runs. */
  exitReason(): string | undefined;
  /** Settles when the child has exited; `code` is null when a signal ended it. */
  readonly exited: Promise<{ code: number | null; reason: string }>;
  /** The last lines it wrote to stdout/stderr, for error messages. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 40;

/**
 * Spawns a server that dies with us (see orphan-guard). Resolves once the OS started it; rejects
 * with the spawn error (code ENOENT when the command is missing) so callers can say what to install.
 * Output is only kept as a tail for error messages: FerretDB logs every unsupported command
 * (e.g. endSessions) and failed insert as a warning, which would drown the caller's log.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ManagedChild> {
  // A process group of its own: a terminal's Ctrl-C reaches the processes using this server,
  // which then close against it, and not the server itself (we stop it after them).
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  let reason: string | undefined;
  const exited = new Promise<{ code: number | null; reason: string }>((resolve) => {
    child.once('exit', (code, signal) => {
      reason = signal !== null ? `${name} was killed by ${signal}` : `${name} exited with code ${code}`;
      resolve({ code, reason });
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    });
  }

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      child.removeListener('error', reject);
      child.on('error', () => undefined);
      guardChild(child);
      resolve({
        pid: child.pid ?? -1,
        exitReason: () => reason,
        exited,
        recentOutput: () => (tail.length === 0 ? '(no output)' : tail.join('\n')),
        async stop(graceMs = 5000) {
          if (reason !== undefined) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}
