import type { Connection, mongo } from 'mongoose';
import { isFerretDb } from '../db/server-kind';

/**
 * FerretDB's equality queries in flight at once. Each is served by a GIN index
 * (ops/ferretdb-equality-indexes.sql) at ~1 ms of PostgreSQL time; measured here on 53,000
 * people, 5,000 lookups took 6.9 s 8 at a time and 4.9 s 16 at a time.
 */
const FERRETDB_EQUALITY_CONCURRENCY = 16;

/** `each` for every item, FERRETDB_EQUALITY_CONCURRENCY at a time: FerretDB's single-document commands, each index-served. */
export async function eachConcurrently<T>(items: T[], each: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items].reverse();
  const next = async (): Promise<void> => {
    for (let value = queue.pop(); value !== undefined; value = queue.pop()) await each(value);
  };
  await Promise.all(Array.from({ length: Math.min(FERRETDB_EQUALITY_CONCURRENCY, queue.length) }, next));
}

/**
 * A tenant of at most this many documents per value asked for is read whole, and the wanted
 * ones kept here: on FerretDB one document read costs about a third to a half of one
 * index-served equality (measured on 53,000 people, machine idle: all of them in 32.5 s, 5,000
 * equalities 16 at a time in 4.9 s; SCIM users are smaller and cheaper to read).
 */
const READ_WHOLE_UP_TO_PER_VALUE = 3;
/** How long a process remembers how many documents a tenant has at least (tenants rarely shrink). */
const TENANT_SIZE_MEMORY_MS = 10 * 60_000;
/** Per tenant, the most documents a read that stopped at its bound found, and until when that is trusted. */
const tenantsAtLeast = new Map<string, { documents: number; until: number }>();

/**
 * Many documents of one tenant (a SCIM setting, a company) whose `field` holds one of `values`
 * (equal to it, or, for an array field, containing it). MongoDB serves one `$in` from its index.
 * FerretDB 1.24 pushes only top-level equalities to PostgreSQL; its `$in` reads every document
 * of the tenant and matches it in FerretDB (measured on 53,000 people: 1,000 values by `$in`
 * 19.2 s, by equalities 0.9–2.0 s). So there the tenant is read whole when it holds at most
 * READ_WHOLE_UP_TO_PER_VALUE documents per value (the read stops one past that: a tenant found
 * larger costs at most that many reads, and the size it has at least is remembered, so a later
 * list no longer than that allows skips the read; a longer list reads it again), and otherwise
 * each value is one equality query: the cost follows the values asked for, not the tenant's size.
 */
export async function readByValues(connection: Connection, collection: mongo.Collection, tenantFilter: mongo.Filter<mongo.Document>, field: string, values: string[], projection?: mongo.Document): Promise<mongo.Document[]> {
  if (values.length === 0) return [];
  const options = projection ? { projection: { ...projection, [field]: 1 } } : {};
  if (!(await isFerretDb(connection))) return collection.find({ ...tenantFilter, [field]: { $in: values as never[] } }, options).toArray();
  const tenantKey = `${collection.dbName}.${collection.collectionName}:${JSON.stringify(tenantFilter)}`;
  const limit = values.length * READ_WHOLE_UP_TO_PER_VALUE;
  const known = tenantsAtLeast.get(tenantKey);
  if (!known || known.until < Date.now() || known.documents <= limit) {
    const docs = await collection.find(tenantFilter, options).limit(limit + 1).toArray();
    if (docs.length <= limit) {
      tenantsAtLeast.delete(tenantKey);
      const wanted = new Set(values);
      const holds = (value: unknown) => (Array.isArray(value) ? value.some((v) => wanted.has(String(v))) : wanted.has(String(value)));
      return docs.filter((doc) => holds(doc[field]));
    }
    tenantsAtLeast.set(tenantKey, { documents: docs.length, until: Date.now() + TENANT_SIZE_MEMORY_MS });
  }
  const found = new Map<string, mongo.Document>();
  await eachConcurrently([...new Set(values)], async (value) => {
    for (const doc of await collection.find({ ...tenantFilter, [field]: value }, options).toArray()) found.set(String(doc._id), doc);
  });
  return [...found.values()];
}

/** Deletes the documents of one tenant whose `field` is one of `values`: on FerretDB one equality per value. */
export async function deleteByValues(connection: Connection, collection: mongo.Collection, tenantFilter: mongo.Filter<mongo.Document>, field: string, values: string[]): Promise<void> {
  if (values.length === 0) return;
  if (!(await isFerretDb(connection))) {
    await collection.deleteMany({ ...tenantFilter, [field]: { $in: values as never[] } });
    return;
  }
  await eachConcurrently([...new Set(values)], async (value) => void (await collection.deleteMany({ ...tenantFilter, [field]: value })));
}

/** Many documents of one SCIM setting by `_id` (readByValues). */
export const readByIds = (connection: Connection, collection: mongo.Collection, settingFilter: mongo.Filter<mongo.Document>, ids: string[], projection?: mongo.Document) =>
  readByValues(connection, collection, settingFilter, '_id', ids, projection);
