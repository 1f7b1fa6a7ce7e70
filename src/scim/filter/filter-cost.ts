import { badRequest } from '../errors';
import type { FilterNode } from './ast';
import type { MongoPrefilter } from './mongo-prefilter';

/**
 * Far more conditions than an IdP combines in one filter. Each one is tested on every candidate
 * resource, by FerretDB (which runs `$or` branches one after another) or by the evaluator, and
 * any token holder may send a filter: 550 conditions once took 24 s of database time.
 */
export const MAX_FILTER_CONDITIONS = 20;

/**
 * Refuses, as 400 invalidFilter saying the limit, a filter with more than MAX_FILTER_CONDITIONS
 * conditions. A filter the database answers exactly counts the terms of its query, where the
 * `$in` an or-chain of `eq` on one indexed attribute becomes is one term; any other filter counts
 * every condition, as the evaluator tests each of them. `indexed` names those attributes for the message.
 */
export function limitFilterCost(filter: FilterNode, prefilter: MongoPrefilter, indexed: readonly string[]): void {
  const count = prefilter.exact ? queryTerms(prefilter.query) : conditions(filter);
  if (count <= MAX_FILTER_CONDITIONS) return;
  throw badRequest(
    'invalidFilter',
    `The filter has ${count} conditions; at most ${MAX_FILTER_CONDITIONS} are accepted ` +
      `("eq" comparisons joined by "or" count once per attribute for ${indexed.join(', ')}).`,
  );
}

/** Comparisons and `pr` tests, value filters' included; iterative, as or-chains run to hundreds. */
function conditions(filter: FilterNode): number {
  let count = 0;
  const pending = [filter];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.kind === 'and' || node.kind === 'or') pending.push(node.left, node.right);
    else if (node.kind === 'not' || node.kind === 'valuePath') pending.push(node.filter);
    else count += 1;
  }
  return count;
}

/** Field conditions of a prefilter query, through `$and` and `$or`. */
function queryTerms(query: Record<string, unknown>): number {
  let count = 0;
  const pending = [query];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const [key, value] of Object.entries(next)) {
      if ((key === '$and' || key === '$or') && Array.isArray(value)) pending.push(...(value as Record<string, unknown>[]));
      else count += 1;
    }
  }
  return count;
}
