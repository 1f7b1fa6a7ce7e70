import type { ScimResource } from './canonicalize';

export interface StoredResourceMeta {
  _id: string;
  version: number;
  data: string;
  created: Date;
  lastModified: Date;
}

/** The resource as the API returns it: stored attributes plus the server's `id` and `meta`. */
export function renderResource(
  doc: StoredResourceMeta,
  resourceType: 'User' | 'Group',
  location: string,
  extra: ScimResource = {},
): ScimResource {
  const data = JSON.parse(doc.data) as ScimResource;
  return {
    ...data,
    ...extra,
    id: doc._id,
    meta: {
      resourceType,
      created: doc.created.toISOString(),
      lastModified: doc.lastModified.toISOString(),
      location,
      version: `W/"${doc.version}"`,
    },
  };
}

/** What is stored in `data`: everything the server owns is left out. */
export function storedData(resource: ScimResource): string {
  const { id: _id, meta: _meta, ...rest } = resource;
  return JSON.stringify(rest);
}
