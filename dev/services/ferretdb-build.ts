import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ServiceStartError, type ServiceLog } from './errors';
import { spawnManaged } from './managed-child';

const TOOL_DIR = path.join('tools', 'ferretdb');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];
const GO_FALLBACKS = ['/usr/local/go/bin/go'];
const GO_HINT = 'Install Go 1.24 or newer (https://go.dev/dl), or set MONGODB_URI to an existing MongoDB.';

/** The checkout root: the nearest ancestor holding tools/ferretdb (from dev/services, two levels up). */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, TOOL_DIR, 'go.mod'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new ServiceStartError(`FerretDB sources (${TOOL_DIR}/go.mod) not found above ${from}; set MONGODB_URI instead.`);
    }
  }
}

export function ferretDbBinaryPath(repoRoot: string): string {
  return path.join(repoRoot, '.cache', 'ferretdb', process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb');
}

/** A build is due when there is no binary or any source changed after it was written. */
export function needsBuild(binaryMtimeMs: number | undefined, sourceMtimesMs: readonly number[]): boolean {
  return binaryMtimeMs === undefined || sourceMtimesMs.some((m) => m > binaryMtimeMs);
}

async function mtimeMs(file: string): Promise<number | undefined> {
  return stat(file).then((s) => s.mtimeMs, () => undefined);
}

/**
 * GOSUMDB=off because the Go proxy serves FerretDB v1.24.1's .mod and .zip but not its .info,
 * which the checksum database lookup needs; go.sum in tools/ferretdb pins every module instead.
 */
async function goBuild(go: string, toolDir: string, output: string): Promise<'ok' | 'no-go'> {
  const env = { ...process.env, GOSUMDB: 'off', GOFLAGS: '-mod=mod -buildvcs=false' };
  const child = await spawnManaged('go build', go, ['build', '-o', output, '.'], { cwd: toolDir, env }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (child === undefined) return 'no-go';
  const { code, reason } = await child.exited;
  if (code !== 0) {
    throw new ServiceStartError(
      `Building FerretDB failed (${reason}):\n${child.recentOutput()}\n` +
        'The first build downloads Go modules from the Go proxy (GOPROXY must be reachable). ' +
        GO_HINT,
    );
  }
  return 'ok';
}

/**
 * Returns the path of an up-to-date FerretDB binary, building tools/ferretdb when the binary is
 * missing or older than its sources. Builds go to a temporary name and are renamed into place,
 * so a concurrent start never runs a half-written binary.
 */
export async function ensureFerretDbBinary(options: { log: ServiceLog; repoRoot?: string; force?: boolean }): Promise<string> {
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const toolDir = path.join(repoRoot, TOOL_DIR);
  const binary = ferretDbBinaryPath(repoRoot);
  const sourceTimes = await Promise.all(SOURCES.map((f) => mtimeMs(path.join(toolDir, f))));
  const present = sourceTimes.filter((t): t is number => t !== undefined);
  if (present.length !== SOURCES.length) {
    throw new ServiceStartError(`FerretDB sources incomplete in ${toolDir} (need ${SOURCES.join(', ')}).`);
  }
  if (options.force !== true && !needsBuild(await mtimeMs(binary), present)) return binary;

  await mkdir(path.dirname(binary), { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  options.log(`Building FerretDB from ${toolDir} (1-2 minutes on a machine that never built it, seconds with a warm Go cache)`);
  const started = Date.now();
  try {
    for (const go of ['go', ...GO_FALLBACKS]) {
      if ((await goBuild(go, toolDir, temporary)) === 'ok') {
        await rename(temporary, binary);
        options.log(`FerretDB built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${binary}`);
        return binary;
      }
    }
  } finally {
    await rm(temporary, { force: true });
  }
  throw new ServiceStartError(`FerretDB must be built but the Go toolchain was not found (no "go" on PATH). ${GO_HINT}`);
}
