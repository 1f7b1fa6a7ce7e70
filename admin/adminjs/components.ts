import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
    // Headings name the record (a user's e-mail, a group's name) instead of the action ("Show").
    ActionHeader: loader.override('ActionHeader', source('action-header.js')),
  };
}
export type ConsoleComponents = ReturnType<typeof consoleComponents>;

/**
 * components.bundle.js: the registered components bundled once at start with AdminJS's
 * bundler (rollup and babel, about a second), into a private temporary folder rather than
 * AdminJS's default .adminjs/ in the working directory, and kept in memory.
 */
export async function bundleComponents(admin: object): Promise<string> {
  const { componentsBundler, generateUserComponentEntry } = await import('adminjs/bundler');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'console-components-'));
  try {
    const output = path.join(dir, 'bundle.js');
    componentsBundler.setInputOption('input', path.join(dir, 'entry.js')).setOutputOption('file', output);
    await componentsBundler.createEntry({ dir, content: generateUserComponentEntry(admin, dir) });
    await componentsBundler.build();
    return await readFile(output, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
