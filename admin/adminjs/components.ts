import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AdminJSModules } from './esm';

/**
 * The console's React components live as browser sources in admin/components and are bundled
 * by AdminJS's own bundler, never compiled by tsc: from the sources (tsx) this file is in
 * admin/adminjs, from the build in dist/admin/adminjs, and both read the same sources.
 */
const SOURCES = [path.join(__dirname, '..', 'components'), path.join(__dirname, '..', '..', '..', 'admin', 'components')].find((dir) => existsSync(dir));

function source(file: string): string {
  if (!SOURCES) throw new Error('admin/components is missing: the console bundles its components from there');
  return path.join(SOURCES, file);
}

/** Registers the console's components; the returned names go into resource and page options. */
export function consoleComponents(m: AdminJSModules) {
  const loader = new m.adminjs.ComponentLoader();
  const add = (name: string, file: string) => loader.add(name, source(file));
  return {
    loader,
    ConsolePage: add('ConsolePage', 'console-page.js'),
    SetupHelpPage: add('SetupHelpPage', 'setup-help-page.js'),
    QueuesPage: add('QueuesPage', 'queues-page.js'),
    Dashboard: add('Dashboard', 'dashboard.js'),
    Badge: add('Badge', 'badge.js'),
    GroupMembers: add('GroupMembers', 'group-members.js'),
    PersonField: add('PersonField', 'person-field.js'),
    CustomFieldInputs: add('CustomFieldInputs', 'custom-field-inputs.js'),
    ManualGroups: add('ManualGroups', 'manual-groups.js'),
    SourceFilter: add('SourceFilter', 'source-filter.js'),
    PersonSources: add('PersonSources', 'person-sources.js'),
    ManagerLink: add('ManagerLink', 'manager-link.js'),
    ExportTargetUsers: add('ExportTargetUsers', 'export-target-users.js'),
    ScimExclusion: add('ScimExclusion', 'scim-exclusion.js'),
    // Headings name the record (a user's e-mail, a group's name) instead of the action ("Show").
    ActionHeader: loader.override('ActionHeader', source('action-header.js')),
  };
}
export type ConsoleComponents = ReturnType<typeof consoleComponents>;

/**
 * components.bundle.js: the registered components bundled with AdminJS's bundler (rollup and
 * babel, 2–3 s of every start) into a private temporary folder rather than AdminJS's default
 * .adminjs/ in the working directory, and kept in memory. The result is kept in the checkout's
 * .cache/console-components/, named by a hash of everything it is made from (the generated entry,
 * the component sources, the locked dependencies, NODE_ENV), so a later start with the same
 * inputs reads it instead; where that folder cannot be written, every start bundles.
 */
export async function bundleComponents(admin: object, nodeEnv: string): Promise<string> {
  const { componentsBundler, generateUserComponentEntry } = await import('adminjs/bundler');
  const cacheDir = source(path.join('..', '..', '.cache', 'console-components'));
  const cached = path.join(cacheDir, `${await inputsHash(generateUserComponentEntry(admin, cacheDir), nodeEnv)}.js`);
  const kept = await readFile(cached, 'utf8').catch(() => null);
  if (kept !== null) return kept;

  const dir = await mkdtemp(path.join(os.tmpdir(), 'console-components-'));
  try {
    const output = path.join(dir, 'bundle.js');
    componentsBundler.setInputOption('input', path.join(dir, 'entry.js')).setOutputOption('file', output);
    await componentsBundler.createEntry({ dir, content: generateUserComponentEntry(admin, dir) });
    await componentsBundler.build();
    const bundle = await readFile(output, 'utf8');
    await keep(cached, bundle);
    return bundle;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function inputsHash(entry: string, nodeEnv: string): Promise<string> {
  const hash = createHash('sha256').update(entry).update(`\0${nodeEnv}\0`);
  const files = (await readdir(source('.'))).sort();
  for (const file of files) hash.update(file).update('\0').update(await readFile(source(file))).update('\0');
  // The bundler's own versions (rollup, babel, AdminJS) are pinned by the lock file.
  hash.update((await readFile(source(path.join('..', '..', 'package-lock.json'))).catch(() => Buffer.from('no lock file'))));
  return hash.digest('hex').slice(0, 32);
}

/** Written under a temporary name and renamed, so a process starting meanwhile never reads half a bundle. */
async function keep(file: string, bundle: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, bundle);
    await rename(temporary, file);
  } catch {
    // A read-only checkout: the next start bundles again.
  }
}
