import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROCFILE, procfileArgs } from '../../../scripts/procfile';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('the Procfile', () => {
  // Tests and the bench start the processes from PROCFILE: it must say what the Procfile says.
  it('runs exactly the entries the tests and the bench start', () => {
    const lines = readFileSync(path.join(ROOT, 'Procfile'), 'utf8').split('\n').filter((line) => line.trim() !== '');
    expect(Object.fromEntries(lines.map((line) => line.split(/:\s*/, 2) as [string, string]))).toEqual({
      web: `node ${PROCFILE.web}`,
      worker: `node ${PROCFILE.worker}`,
    });
  });

  it('names files that tsconfig.build.json compiles from sources in its include', () => {
    const { include } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    for (const kind of ['web', 'worker'] as const) {
      const source = path.relative(path.join(ROOT, 'dist'), procfileArgs(kind)[0]!).replace(/\.js$/, '.ts');
      expect(existsSync(path.join(ROOT, source))).toBe(true);
      expect(include).toContain(source.split(path.sep)[0]);
    }
  });
});
