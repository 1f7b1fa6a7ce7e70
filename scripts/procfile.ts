import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..');

/** The Procfile's processes: compiled JavaScript, run by plain node (test/unit/scripts/procfile.test.ts holds the Procfile to these). */
export const PROCFILE = { web: 'dist/src/http/main.js', worker: 'dist/workers/main.js' } as const;

export type ProcfileProcess = keyof typeof PROCFILE;

/** `node <entry>` as the Procfile runs it, for `spawn(process.execPath, procfileArgs(kind))`. */
export function procfileArgs(kind: ProcfileProcess): string[] {
  return [path.join(root, PROCFILE[kind])];
}

/**
 * `npm run build` into dist/. Incremental (tsconfig.build.json): when nothing changed since the
 * last build it only compares file hashes, a couple of seconds.
 */
export function build(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
}
