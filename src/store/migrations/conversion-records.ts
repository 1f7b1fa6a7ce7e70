import type { Models } from '../../models';
import { isDuplicateKey } from '../mongo-errors';

/** One record per conversion a database has finished, by name; platform-level, not tenant data. */
const COLLECTION = 'scim_conversions';

const records = (models: Models) => models.ScimUserResource.db.collection<{ _id: string; finishedAt: Date }>(COLLECTION);

/**
 * The conversions of stored data a database has had (src/store/migrations/). A start looks up
 * its conversion's record by `_id` (index-served everywhere) instead of searching the data for
 * what is left to convert: on FerretDB that search is not index-served and read every target
 * user of every company at each start (over 30 s at 74,000 people, so a worker missed its
 * health check).
 */
export const conversionRecords = {
  async finished(models: Models, name: string): Promise<boolean> {
    return (await records(models).findOne({ _id: name })) !== null;
  },

  /** Called once nothing is left to convert; a second process finishing too keeps the first record. */
  async recordFinished(models: Models, name: string, now = new Date()): Promise<void> {
    try {
      await records(models).insertOne({ _id: name, finishedAt: now });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  },
};
