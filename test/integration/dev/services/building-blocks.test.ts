import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ServiceStartError } from '../../../../dev/services';
import { startRedis } from '../../../../dev/services/embedded-redis';
import { ensureFerretDbBinary, ferretDbBinaryPath, needsBuild } from '../../../../dev/services/ferretdb-build';
import { freePort } from '../../../../dev/services/free-port';
import { preparePostgresDatabase, withDatabase } from '../../../../dev/services/postgres';

const log = (): void => undefined;

describe('needsBuild', () => {
  it('builds when the binary is missing or older than any source', () => {
    fc.assert(
      fc.property(fc.option(fc.nat(), { nil: undefined }), fc.array(fc.nat(), { minLength: 1 }), (binary, sources) => {
        expect(needsBuild(binary, sources)).toBe(binary === undefined || sources.some((s) => s > binary));
      }),
    );
  });
});

describe('ensureFerretDbBinary', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ferretdb-build-'));
    await mkdir(path.join(root, 'tools', 'ferretdb'), { recursive: true });
    for (const file of ['main.go', 'go.mod', 'go.sum']) await writeFile(path.join(root, 'tools', 'ferretdb', file), '');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps a binary newer than its sources without invoking Go', async () => {
    const binary = ferretDbBinaryPath(root);
    await mkdir(path.dirname(binary), { recursive: true });
    await writeFile(binary, 'not really a binary');
    const later = new Date(Date.now() + 60000);
    await utimes(binary, later, later);
    await expect(ensureFerretDbBinary({ log, repoRoot: root })).resolves.toBe(binary);
  });

  it('reports incomplete sources', async () => {
    await rm(path.join(root, 'tools', 'ferretdb', 'go.sum'));
    await expect(ensureFerretDbBinary({ log, repoRoot: root })).rejects.toThrow(/sources incomplete/);
  });
});

describe('freePort', () => {
  it('returns a port that can be bound', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('startRedis', () => {
  it('says what to install when redis-server is missing', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'redis-missing-'));
    const attempt = startRedis({ dataDir, log, command: 'redis-server-that-does-not-exist' });
    await expect(attempt).rejects.toBeInstanceOf(ServiceStartError);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server/);
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('preparePostgresDatabase', () => {
  it('explains an unreachable server instead of throwing', async () => {
    const port = await freePort();
    await expect(preparePostgresDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, 'ferretdb_test')).resolves.toMatch(
      /not reachable at 127\.0\.0\.1:\d+/,
    );
  });

  it('rejects database names that would need quoting', async () => {
    await expect(preparePostgresDatabase('postgres://postgres@127.0.0.1/postgres', 'x"; DROP')).resolves.toMatch(/invalid/);
  });

  it('points the server URL at another database, keeping credentials', () => {
    expect(withDatabase('postgres://u:p@h:5433/postgres?sslmode=disable', 'ferretdb')).toBe('postgres://u:p@h:5433/ferretdb?sslmode=disable');
  });
});
