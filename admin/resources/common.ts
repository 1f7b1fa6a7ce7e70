import { NAVIGATES_ONLY } from '../adminjs/action-methods';
import type { Action, ActionContext, ActionResponse, IsFunction, RecordJSON } from '../adminjs/esm';
import { isPlatformAdmin, type ConsoleAdmin } from '../auth/console-admin';

export type ConsoleAction = Partial<Action<ActionResponse>>;

export const consoleAdmin = (context: Pick<ActionContext, 'currentAdmin'>) => context.currentAdmin as unknown as ConsoleAdmin;

export const platformOnly: IsFunction = (context) => isPlatformAdmin(consoleAdmin(context));

export const hidden: ConsoleAction = { isAccessible: false, isVisible: false };

/** Target users, sync activity and the like are written by the workers only. */
export const READ_ONLY_ACTIONS = { new: hidden, edit: hidden, delete: hidden, bulkDelete: hidden } as const;

export const NAVIGATION = {
  companySettings: { name: 'Company Settings', icon: 'Settings' },
  targetUsers: { name: 'Target Users', icon: 'Users' },
  monitoring: { name: 'Monitoring', icon: 'Activity' },
  platform: { name: 'Platform', icon: 'Shield' },
} as const;

/**
 * An action whose page is one of the console's own (/admin/x/…): AdminJS asks the API, gets
 * a redirect and the shared client script turns it into a page load. Such actions change
 * nothing themselves (AdminJS calls them with GET, so they are marked to run on GET); the page
 * they lead to posts a form.
 */
export function recordPageAction(icon: string, url: (id: string) => string, extra: ConsoleAction = {}): ConsoleAction {
  return {
    actionType: 'record',
    component: false,
    custom: NAVIGATES_ONLY,
    icon,
    handler: async (_request, _response, context) => ({
      record: context.record?.toJSON(context.currentAdmin),
      redirectUrl: url(String(context.record?.id())),
    }),
    ...extra,
  };
}

export function resourcePageAction(icon: string, url: string, extra: ConsoleAction = {}): ConsoleAction {
  return { actionType: 'resource', component: false, custom: NAVIGATES_ONLY, icon, handler: async () => ({ redirectUrl: url }), ...extra };
}

/** Adds computed values to the records of a list or show response. */
export function withComputed(compute: (records: RecordJSON[]) => Promise<void>) {
  return async (response: ActionResponse): Promise<ActionResponse> => {
    const records = [...((response.records as RecordJSON[] | undefined) ?? []), ...(response.record ? [response.record as RecordJSON] : [])];
    if (records.length > 0) await compute(records);
    return response;
  };
}
