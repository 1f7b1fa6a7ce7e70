import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROCFILE, procfileArgs } from '../../../scripts/procfile';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Every file under `dir` (relative to ROOT) ending in `extension`. */
function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => path.join(dir, file));
}

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

  // dev/ (the embedded servers for `npm start`, tests and the bench) stays out of dist/: tsc
  // compiles what its include names and whatever those files import.
  it('leaves dev/ out of the build: not in its include, and imported by nothing it compiles', () => {
    const { include } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(include).not.toContain('dev');
    const intoDev: string[] = [];
    for (const file of include.flatMap((dir) => filesUnder(dir, '.ts'))) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import\(|require\()\s*'(\.[^']*)'/g)) {
        const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier!));
        if (target.split(path.sep)[0] === 'dev') intoDev.push(`${file} imports ${specifier}`);
      }
    }
    expect(intoDev).toEqual([]);
  });
});
