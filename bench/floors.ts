import { Types, type mongo } from 'mongoose';
import type { TargetUserView } from '../src/mapping/project-user';
import { personDoc } from '../src/store/target-users';

/**
 * The projection's floors: the same database taking target-user-shaped documents raw, by driver
 * `bulkWrite` upserts by `_id`, 500 per command (issue 8's floor: what a projection of new users
 * must at least do), and by `insertMany` (the fastest way FerretDB takes new documents). On
 * FerretDB an upsert scans the collection, so the first floor falls as the collection grows: it is
 * measured on a fresh collection of `count` documents.
 */
export async function rawBulkUpserts(db: mongo.Db, count: number): Promise<{ docsPerSecond: number; seconds: number }> {
  const collection = db.collection<Record<string, unknown>>(`bench_raw_${Date.now()}`);
  const started = performance.now();
  for (let i = 0; i < count; i += 500) {
    const ops = targetUserDocs(i, Math.min(500, count - i)).map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }));
    await collection.bulkWrite(ops as never, { ordered: false });
  }
  const seconds = (performance.now() - started) / 1000;
  await collection.drop();
  return { docsPerSecond: count / seconds, seconds };
}

export async function rawInsertMany(db: mongo.Db, count: number): Promise<{ docsPerSecond: number; seconds: number }> {
  const collection = db.collection<Record<string, unknown>>(`bench_raw_insert_${Date.now()}`);
  const started = performance.now();
  for (let i = 0; i < count; i += 1000) await collection.insertMany(targetUserDocs(i, Math.min(1000, count - i)) as never[], { ordered: false });
  const seconds = (performance.now() - started) / 1000;
  await collection.drop();
  return { docsPerSecond: count / seconds, seconds };
}

const companyId = new Types.ObjectId();
const scimSettingId = new Types.ObjectId().toHexString();

/** Target users as the projection stores them (src/store/target-users.ts): a person with its one source. */
function targetUserDocs(from: number, count: number) {
  const now = new Date();
  return Array.from({ length: count }, (_, j) => {
    const n = from + j;
    const email = `raw${n}@bench.example`;
    const view: TargetUserView = {
      userName: email, externalId: null, email, firstName: 'Raw', lastName: `User ${n}`, department: `Department ${n % 20}`, phoneNumber: null, title: null,
      manager: null, managerId: null, customFields: {}, status: 'active', groupIds: [new Types.ObjectId().toHexString()],
    };
    const source = { scimSettingId, scimUserId: `raw-${n}`, emailKey: email, view, version: 1, rulesVersion: 1, deprovisionedAt: null, lastSyncedAt: now.getTime(), createdAt: now.getTime() };
    return personDoc(companyId, { id: new Types.ObjectId().toHexString(), emailKey: email, origin: 'scim', shown: view, manualGroupIds: [], sources: [source], fieldSource: { scimSettingId, scimUserId: source.scimUserId }, sync: { version: 1, rulesVersion: 1 }, createdAt: now.getTime() }, now);
  });
}
