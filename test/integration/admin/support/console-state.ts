import type { ConsoleClient } from './console-client';

export interface ConsoleResourceState {
  id: string;
  actions: Array<{ name: string; actionType: 'resource' | 'record' | 'bulk' }>;
}

/** What AdminJS's front end is told about the resources and actions, read from a console page as the browser gets it. */
export async function consoleResources(client: ConsoleClient): Promise<ConsoleResourceState[]> {
  const page = await client.get('/admin/resources/ScimSetting');
  const json = /<script type="application\/json" id="adminjs-state">(.*?)<\/script>/s.exec(page.body)?.[1];
  if (!json) throw new Error(`no AdminJS state on the page (status ${page.status})`);
  return (JSON.parse(json) as { resources: ConsoleResourceState[] }).resources;
}
