import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Makes the servers we start die with us. Three cases:
 * - normal exit (including process.exit): an 'exit' hook sends SIGTERM to every live child;
 * - SIGINT/SIGTERM/SIGHUP with nobody else listening: we stop the children and re-raise the
 *   signal so the default "terminate" still happens; when the application has its own handler we
 *   leave shutdown to it (it calls stop(), and the 'exit' hook catches the rest);
 * - SIGKILL or a crash, where no hook runs: a detached watchdog holds a pipe from us, sees it
 *   close, and kills the children it was told about (SIGTERM, then SIGKILL after 3 s).
 */

const WATCHDOG = `
const pids = new Set();
let buffer = '';
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const signal = (pid, sig) => { try { process.kill(pid, sig); } catch { /* already gone */ } };
const reap = () => {
  for (const pid of pids) signal(pid, 'SIGTERM');
  setTimeout(() => {
    for (const pid of pids) if (alive(pid)) signal(pid, 'SIGKILL');
    process.exit(0);
  }, pids.size > 0 ? 3000 : 0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    const line = buffer.slice(0, i);
    buffer = buffer.slice(i + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

const live = new Set<ChildProcess>();
let watchdog: ChildProcess | undefined;
let hooksInstalled = false;

function tellWatchdog(line: string): void {
  if (watchdog === undefined) {
    const spawned = spawn(process.execPath, ['-e', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    spawned.unref();
    // The pipe must not keep our event loop alive: it only exists to close when we die.
    (spawned.stdin as Socket).unref();
    spawned.stdin?.on('error', () => undefined);
    spawned.on('exit', () => {
      if (watchdog === spawned) watchdog = undefined;
    });
    watchdog = spawned;
  }
  watchdog.stdin?.write(`${line}\n`);
}

function releaseWatchdogIfIdle(): void {
  if (live.size === 0 && watchdog !== undefined) {
    watchdog.stdin?.end();
    watchdog = undefined;
  }
}

function terminateAll(): void {
  for (const child of live) child.kill('SIGTERM');
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  terminateAll();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', terminateAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/** Registers a freshly spawned child; it is forgotten again when it exits. */
export function guardChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  installHooks();
  live.add(child);
  tellWatchdog(`+${pid}`);
  child.once('exit', () => {
    live.delete(child);
    if (watchdog !== undefined) watchdog.stdin?.write(`-${pid}\n`);
    releaseWatchdogIfIdle();
  });
}
