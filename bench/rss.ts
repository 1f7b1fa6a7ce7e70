import { readFileSync } from 'node:fs';

/** Peak resident memory of child processes, sampled from /proc (Linux) while the bench runs. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: () => Map<string, number | undefined>) {
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    for (const [name, pid] of this.pids()) {
      if (pid === undefined) continue;
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, kb / 1024));
      } catch {
        // the process has exited between two samples
      }
    }
  }

  /** Peak RSS in MB per role: `worker-2` counts as `worker`, the highest of them. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    const byRole: Record<string, number> = {};
    for (const [name, mb] of this.peaks) {
      const role = name.replace(/-\d+$/, '');
      byRole[role] = Math.max(byRole[role] ?? 0, Math.round(mb));
    }
    return byRole;
  }
}
