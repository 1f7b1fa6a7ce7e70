import type { Model } from 'mongoose';
import { compileFilter, parseFilter, toMongoPrefilter } from '../scim/filter';
import type { ResourceTypeDefinition } from '../scim/schema/resource-types';
import type { Paging } from '../scim/resources/list-response';
import type { ScimResource } from '../scim/resources/canonicalize';

export interface ListedPage<D> {
  totalResults: number;
  docs: D[];
}

type IndexedFields = Record<string, { field: string; lowercase: boolean }>;

/** Bounds the in-memory path: a filter the database cannot answer exactly reads at most this many resources. */
export const MAX_SCANNED = 200_000;

/**
 * One stable order for every page (creation time, then id), as Okta pages with count=100.
 * Filters on indexed attributes run in the database; any other filter narrows there as far
 * as it can, and the exact RFC 7644 semantics are applied to the remaining candidates.
 */
export async function listResources<D extends { data: string }>(
  model: Model<D>,
  base: Record<string, unknown>,
  type: ResourceTypeDefinition,
  indexed: IndexedFields,
  filterText: string | undefined,
  paging: Paging,
  toResource: (doc: D) => ScimResource,
  projection: Record<string, 0 | 1> = {},
): Promise<ListedPage<D>> {
  const sort = { created: 1, _id: 1 } as const;
  const filter = filterText ? parseFilter(filterText) : undefined;
  const prefilter = filter ? toMongoPrefilter(filter, indexed) : { query: {}, exact: true };
  const query = { ...prefilter.query, ...base };

  if (prefilter.exact) {
    const [totalResults, docs] = await Promise.all([
      model.collection.countDocuments(query),
      paging.count === 0
        ? Promise.resolve([])
        : model.collection.find(query, { sort, skip: paging.startIndex - 1, limit: paging.count, projection }).toArray(),
    ]);
    return { totalResults, docs: docs as unknown as D[] };
  }

  const matches = compileFilter(filter!, type);
  let totalResults = 0;
  const docs: D[] = [];
  const cursor = model.collection.find(query, { sort, limit: MAX_SCANNED, projection });
  for await (const raw of cursor) {
    const doc = raw as unknown as D;
    if (!matches(toResource(doc))) continue;
    totalResults += 1;
    if (totalResults >= paging.startIndex && docs.length < paging.count) docs.push(doc);
  }
  return { totalResults, docs };
}
