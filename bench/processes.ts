import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { procfileArgs } from '../scripts/procfile';

/** The Procfile's commands (compiled JavaScript, as production runs them: tsx alone adds ~160 MB of RSS), and the floor's server. */
const COMMANDS = {
  web: procfileArgs('web'),
  worker: procfileArgs('worker'),
  floor: ['--import', 'tsx', path.join(__dirname, 'floor-server.ts')],
} as const;

/**
 * The Procfile's web and worker processes, or the intake floor's server. Logs at warn, except
 * into `logFile` when given: its log lines at info (the worker's `projection batch` lines time
 * each step of a batch).
 */
export function startProcess(name: keyof typeof COMMANDS, env: Record<string, string>, args: string[] = [], logFile?: string): ChildProcess {
  return spawn(process.execPath, [...COMMANDS[name], ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: logFile ? 'info' : 'warn', ...env },
    stdio: ['ignore', logFile ? openSync(logFile, 'a') : 'ignore', 'inherit'],
  });
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
