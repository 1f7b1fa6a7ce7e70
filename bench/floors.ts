import { Types, type mongo } from 'mongoose';

/**
 * The projection's floor: the fastest way the same database takes the same documents, raw driver
 * `bulkWrite` upserts of new target-user-shaped documents by `_id`, 500 per command.
 */
export async function rawBulkUpserts(db: mongo.Db, count: number): Promise<{ docsPerSecond: number; seconds: number }> {
  const collection = db.collection<Record<string, unknown>>(`bench_raw_${Date.now()}`);
  const companyId = new Types.ObjectId();
  const scimSettingId = new Types.ObjectId();
  const started = performance.now();
  for (let i = 0; i < count; i += 500) {
    const ops = Array.from({ length: Math.min(500, count - i) }, (_, j) => {
      const n = i + j;
      const _id = `${scimSettingId.toHexString()}:raw-${n}`;
      const doc = {
        _id,
        companyId,
        scimSettingId,
        scimUserId: `raw-${n}`,
        email: `raw${n}@bench.example`,
        firstName: 'Raw',
        lastName: `User ${n}`,
        department: `Department ${n % 20}`,
        phoneNumber: null,
        status: 'active',
        customFields: {},
        groupIds: [new Types.ObjectId()],
        sync: { version: 1, rulesVersion: 1, lastSyncedAt: new Date() },
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      return { replaceOne: { filter: { _id }, replacement: doc, upsert: true } };
    });
    await collection.bulkWrite(ops as never, { ordered: false });
  }
  const seconds = (performance.now() - started) / 1000;
  await collection.drop();
  return { docsPerSecond: count / seconds, seconds };
}
