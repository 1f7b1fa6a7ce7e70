import type { Model } from 'mongoose';
import { compileFilter, limitFilterCost, parseFilter, toMongoPrefilter } from '../scim/filter';
import type { ResourceTypeDefinition } from '../scim/schema/resource-types';
import type { Paging } from '../scim/resources/list-response';
import type { ScimResource } from '../scim/resources/canonicalize';

export interface ListedPage<D> {
  totalResults: number;
  docs: D[];
}

/** Attribute paths, as the API spells them, to the stored fields that hold them. */
type IndexedFields = Record<string, { field: string; lowercase: boolean }>;

/** Bounds a filtered listing: it reads at most this many candidates. */
export const MAX_SCANNED = 200_000;

/**
 * One stable order for every page (creation time, then id), as Okta pages with count=100.
 * Without a filter the database counts and pages. A filter narrows in the database as far as
 * the indexed attributes allow, and the candidates are read once, in order, counting the
 * matches and keeping the page: a count beside the page query would read them twice, and
 * FerretDB v1 reads every candidate of a `$in` in turn. When the database query is exact,
 * the candidates are the matches; otherwise RFC 7644 semantics are applied to each.
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
  if (!filterText) {
    const [totalResults, docs] = await Promise.all([
      model.collection.countDocuments(base),
      paging.count === 0
        ? Promise.resolve([])
        : model.collection.find(base, { sort, skip: paging.startIndex - 1, limit: paging.count, projection }).toArray(),
    ]);
    return { totalResults, docs: docs as unknown as D[] };
  }

  const filter = parseFilter(filterText);
  const prefilter = toMongoPrefilter(filter, indexed);
  limitFilterCost(filter, prefilter, Object.keys(indexed));
  const matches = prefilter.exact ? undefined : compileFilter(filter, type);
  let totalResults = 0;
  const docs: D[] = [];
  const cursor = model.collection.find({ ...prefilter.query, ...base }, { sort, limit: MAX_SCANNED, projection });
  for await (const raw of cursor) {
    const doc = raw as unknown as D;
    if (matches && !matches(toResource(doc))) continue;
    totalResults += 1;
    if (totalResults >= paging.startIndex && docs.length < paging.count) docs.push(doc);
  }
  return { totalResults, docs };
}
