import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import type { Producer } from '../../src/queue/producer';
import type { Logger } from '../../src/logger';
import { READS_ONLY } from '../adminjs/action-methods';
import type { ConsoleComponents } from '../adminjs/components';
import type { Action, ActionContext, ActionResponse, AdminJSModules, IsFunction, RecordJSON } from '../adminjs/esm';
import type { ScopedResourceClass } from '../adminjs/scoped-resource';
import { isPlatformAdmin, type ConsoleAdmin } from '../auth/console-admin';

export type ConsoleAction = Partial<Action<ActionResponse>>;

/**
 * Who a console instance is for. Platform admins see every company, so records show and filter
 * by company; company admins see only their own, so the console built for them has no company
 * field anywhere (AdminJS decides what a page shows per instance, not per signed-in admin).
 */
export type Audience = 'platform' | 'company';

export const audienceOf = (admin: ConsoleAdmin): Audience => (isPlatformAdmin(admin) ? 'platform' : 'company');

/** What every resource definition is built from. */
export interface ResourceSetup {
  m: AdminJSModules;
  models: Models;
  /** Wakes projections when a console action hands target users to them. */
  producer: Producer;
  logger: Logger;
  Scoped: ScopedResourceClass;
  components: ConsoleComponents;
  audience: Audience;
}

/** `['companyId']` in the console for platform admins, nothing in the one for company admins. */
export const companyField = (audience: Audience): string[] => (audience === 'platform' ? ['companyId'] : []);

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

/** An action that only leads to another page of AdminJS's app (a filtered list, a custom page). */
export function linkAction(actionType: 'record' | 'resource', icon: string, url: (record: RecordJSON | undefined) => string, extra: ConsoleAction = {}): ConsoleAction {
  return {
    actionType,
    component: false,
    custom: READS_ONLY,
    icon,
    handler: async (_request, _response, context) => {
      const record = context.record?.toJSON(context.currentAdmin);
      return { ...(record ? { record } : {}), redirectUrl: url(record) };
    },
    ...extra,
  };
}

/**
 * An action whose page is one of the console's own (a path under /admin/x, `{recordId}` for
 * the record): AdminJS's layout around it, the page itself from the server (ConsolePage).
 * Its handler only answers the record for the header; the page changes things with its forms.
 */
export function consolePageAction(components: ConsoleComponents, actionType: 'record' | 'resource', icon: string, page: string, extra: ConsoleAction = {}): ConsoleAction {
  return {
    actionType,
    component: components.ConsolePage,
    custom: { ...READS_ONLY, consolePage: page },
    icon,
    handler: async (_request, _response, context) => (context.record ? { record: context.record.toJSON(context.currentAdmin) } : {}),
    ...extra,
  };
}

/** Adds computed values to the records of a list or show response. */
export function withComputed(compute: (records: RecordJSON[]) => Promise<void>) {
  return async (response: ActionResponse): Promise<ActionResponse> => {
    const records = [...((response.records as RecordJSON[] | undefined) ?? []), ...(response.record ? [response.record as RecordJSON] : [])];
    if (records.length > 0) await compute(records);
    return response;
  };
}

/**
 * The companies of the records a console page shows (their `companyId`s), for the store's reads
 * about those records: the records were read within the admin's companies, so these are too.
 */
export function companyIdsOf(params: ReadonlyArray<Record<string, unknown>>): Types.ObjectId[] {
  return [...new Set(params.map((p) => String(p.companyId)))].filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
}
