import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pingRedis, waitUntil } from '../../../../dev/services/readiness';

const fixture = path.join(__dirname, 'fixtures', 'start-redis-child.ts');

/** Running and not a zombie (a reparented child may stay <defunct> until PID 1 reaps it). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

async function startParent(): Promise<{ parent: ChildProcess; redisUrl: string; sleeperPid: number }> {
  const parent = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await new Promise<string[]>((resolve, reject) => {
    parent.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    createInterface({ input: parent.stdout! }).once('line', (l) => resolve([l]));
  });
  const started = JSON.parse(line ?? '{}') as { redisUrl: string; sleeperPid: number };
  await pingRedis(started.redisUrl, 2000);
  return { parent, ...started };
}

async function expectChildrenGone(redisUrl: string, sleeperPid: number): Promise<void> {
  const gone = await waitUntil(
    async () => !running(sleeperPid) && (await pingRedis(redisUrl, 500).then(() => false, () => true)),
    { timeoutMs: 8000, intervalMs: 200 },
  );
  expect(gone).toEqual({ ok: true });
}

describe('servers started by a process die with it', () => {
  it.each(['SIGKILL', 'SIGTERM', 'SIGINT'] as const)('when the parent gets %s', async (signal) => {
    const { parent, redisUrl, sleeperPid } = await startParent();
    const exited = new Promise((resolve) => parent.once('exit', (_code, by) => resolve(by)));
    parent.kill(signal);
    await expect(exited).resolves.toBe(signal);
    await expectChildrenGone(redisUrl, sleeperPid);
  });
});
