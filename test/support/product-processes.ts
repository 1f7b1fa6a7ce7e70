import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { procfileArgs, type ProcfileProcess } from '../../scripts/procfile';
import { freePort } from '../../dev/services/free-port';
import { guardChild } from '../../dev/services/orphan-guard';

const ROOT = path.join(__dirname, '..', '..');
const TAIL_LINES = 40;

/** One JSON log line of a product process (pino): `pid`, `time` and `msg` at least. */
export type LogLine = Record<string, unknown> & { pid: number; time: string; msg: string };

/**
 * A real Procfile process (`node dist/src/http/main.js` or `dist/workers/main.js`, built by the
 * global setup) that keeps every JSON line it writes, so a test can read what the processes did
 * from their logs, as an operator would. Unlike dev/services/managed-child (a tail for error messages), nothing is dropped.
 */
export interface ProductProcess {
  readonly kind: ProcfileProcess;
  readonly pid: number;
  /** Where its HTTP server (web: PORT; worker: WORKER_HEALTH_PORT) listens. */
  readonly baseUrl: string;
  /** Every JSON line written to stdout so far, parsed. */
  readonly logLines: LogLine[];
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  /** The last lines of stdout and stderr, for error messages. */
  recentOutput(): string;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the process with `env` (PORT or WORKER_HEALTH_PORT is chosen here) and resolves once its
 * /healthz answers 200; rejects with its output when it exits first or is not up in `timeoutMs`.
 */
export async function startProductProcess(kind: ProcfileProcess, env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<ProductProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, procfileArgs(kind), {
    cwd: ROOT,
    env: { ...env, ...(kind === 'web' ? { PORT: String(port) } : { WORKER_HEALTH_PORT: String(port) }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  guardChild(child);
  const logLines: LogLine[] = [];
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    keep(line);
    try {
      logLines.push(JSON.parse(line) as LogLine);
    } catch {
      // Not a log line (a stack trace, a warning of Node's): kept in the tail only.
    }
  });
  createInterface({ input: child.stderr }).on('line', keep);
  let gone: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = signal === null ? `${kind} exited with code ${code}` : `${kind} was killed by ${signal}`;
      resolve();
    }),
  );
  const recentOutput = () => `${gone ?? `${kind} running`}:\n${tail.join('\n')}`;
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone !== undefined) throw new Error(recentOutput());
    const status = await fetch(`${baseUrl}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} not healthy after ${timeoutMs} ms. ${recentOutput()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    kind,
    pid: child.pid ?? -1,
    baseUrl,
    logLines,
    exited,
    recentOutput,
    kill: (signal) => {
      child.kill(signal);
    },
    async stop(graceMs = 10_000) {
      if (gone !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
