import { badRequest } from '../errors';
import type { ScimResource } from './canonicalize';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const MAX_PAGE_SIZE = 1000;

export interface Paging {
  startIndex: number;
  count: number;
}

const integer = (raw: unknown, name: string): number | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^-?\d{1,9}$/.test(raw.trim())) throw badRequest('invalidValue', `${name} must be an integer.`);
  return Number(raw);
};

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1, a negative count means 0; pages are capped. */
export function parsePaging(query: { startIndex?: unknown; count?: unknown }): Paging {
  const startIndex = Math.max(1, integer(query.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, integer(query.count, 'count') ?? 100));
  return { startIndex, count };
}

export function listResponse(resources: ScimResource[], totalResults: number, paging: Paging) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    itemsPerPage: resources.length,
    startIndex: paging.startIndex,
    Resources: resources,
  };
}
