import type { Action, ActionContext, ActionRequest, ActionResponse, After, Before, ResourceWithOptions } from './esm';

/**
 * Which AdminJS actions may run on a GET. AdminJS's API runs any action's handler for GET and
 * HEAD as well as POST, and its own handlers tell reads from writes by `request.method === 'get'`
 * only, so a HEAD to delete deleted and a GET to delete ran its after-hooks: a link on another
 * site could do either while an admin was signed in. The console's rule instead: only reads,
 * actions that merely lead to another page and actions that show one of the console's pages
 * run on GET; everything else needs a POST (which the same-origin check guards).
 */
const READS = new Set(['list', 'show', 'search']);

/**
 * `custom` of a console action whose handler only reads: it answers the record, or a redirect
 * to another page. Whatever such a page changes, it changes with a form of its own.
 */
export const READS_ONLY = { readsOnly: true } as const;

export function runsOnGet(actionName: string, custom: Record<string, unknown> | undefined): boolean {
  return READS.has(actionName) || custom?.readsOnly === true || custom?.confirmsFirst === true;
}

type Handler = (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;

/**
 * An action that asks before it changes anything, as AdminJS's own bulk delete does: its page
 * loads with a GET (or HEAD), answered by `read` (the record or the chosen records, for the
 * confirmation); only a POST runs `change`. The handler is made here together with the mark
 * (`custom.confirmsFirst`) that lets its GETs through, so no action has the one without the other.
 */
export function confirmFirst(read: Handler, change: Handler, custom: Record<string, unknown> = {}): Pick<Action<ActionResponse>, 'handler' | 'custom'> {
  return {
    custom: { ...custom, confirmsFirst: true },
    handler: async (request, response, context) => (request.method === 'post' ? change(request, response, context) : read(request, response, context)),
  };
}

const beforeOnPost =
  (hook: Before): Before =>
  async (request, context) =>
    request.method === 'post' ? hook(request, context) : request;

const afterOnPost =
  <T>(hook: After<T>): After<T> =>
  async (response, request, context) =>
    request.method === 'post' ? hook(response, request, context) : response;

function wrap<H>(hooks: H | H[] | undefined, onPost: (hook: H) => H): H | H[] | undefined {
  if (hooks === undefined) return undefined;
  return Array.isArray(hooks) ? hooks.map(onPost) : onPost(hooks);
}

/**
 * The hooks of every action that changes data act only when the action ran as a POST, as a
 * second line behind the router's refusal of GET (admin/adminjs/action-guard.ts).
 */
export function hooksOnlyOnPost(resource: ResourceWithOptions): ResourceWithOptions {
  const actions = Object.fromEntries(
    Object.entries(resource.options.actions ?? {}).map(([name, action]) => {
      if (!action || runsOnGet(name, action.custom)) return [name, action];
      return [name, { ...action, before: wrap(action.before, beforeOnPost), after: wrap(action.after, afterOnPost) }];
    }),
  );
  return { ...resource, options: { ...resource.options, actions } };
}
