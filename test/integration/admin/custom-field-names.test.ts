import { Writable } from 'node:stream';
import pino from 'pino';
import { Types } from 'mongoose';
import { backfillCustomFieldNameKeys } from '../../../src/store/migrations/custom-field-name-keys';
import { connectDatabase, type Database } from '../../../src/db/connect';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../support/database';

/**
 * Custom fields saved before names were unique regardless of case: the unique index builds over
 * them, and the web process's start-up gives each a name key, renaming case-only duplicates.
 */
describe('custom field names made before case-insensitive uniqueness', () => {
  const dbName = freshDatabaseName('custom_field_names');
  let database: Database;
  const warnings: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );

  beforeAll(async () => {
    database = await connectDatabase(testMongoUri(), dbName);
  });

  afterAll(async () => {
    await database?.connection.close();
    await dropDatabase(testMongoUri(), dbName);
  });

  it('builds the index over fields without a name key, then keys them, renaming the younger of case-only twins', async () => {
    const { CustomField } = database.models;
    const acme = new Types.ObjectId();
    const globex = new Types.ObjectId();
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    // As an older version saved them: no nameKey (written past the model, which would add one).
    await CustomField.collection.dropIndex('nameKey_1');
    await CustomField.collection.insertMany([
      { companyId: acme, key: 'office', name: 'Office', createdAt: at(1) },
      { companyId: acme, key: 'office_2', name: 'office', createdAt: at(2) },
      { companyId: acme, key: 'office_3', name: 'OFFICE ', createdAt: at(3) },
      { companyId: acme, key: 'cost_center', name: 'Cost center', createdAt: at(4) },
      { companyId: globex, key: 'office', name: 'Office', createdAt: at(5) },
    ]);
    await CustomField.createIndexes();

    expect(await backfillCustomFieldNameKeys(database.models, logger)).toBe(2);

    const fields = await CustomField.find({}, { _id: 0, companyId: 1, key: 1, name: 1, nameKey: 1 }).sort({ createdAt: 1 }).lean();
    expect(fields.map((f) => [f.companyId.equals(acme) ? 'acme' : 'globex', f.key, f.name, f.nameKey?.split(':')[1]])).toEqual([
      ['acme', 'office', 'Office', 'office'],
      ['acme', 'office_2', 'office (2)', 'office (2)'],
      ['acme', 'office_3', 'OFFICE (3)', 'office (3)'],
      ['acme', 'cost_center', 'Cost center', 'cost center'],
      ['globex', 'office', 'Office', 'office'],
    ]);
    expect(warnings.map((w) => [w.from, w.to])).toEqual([
      ['office', 'office (2)'],
      ['OFFICE ', 'OFFICE (3)'],
    ]);

    // From now on the index refuses a case-only twin, and a second start changes nothing.
    await expect(CustomField.create({ companyId: acme, key: 'cost_center_2', name: 'COST CENTER' })).rejects.toMatchObject({ code: 11000 });
    expect(await backfillCustomFieldNameKeys(database.models, logger)).toBe(0);
  });
});
