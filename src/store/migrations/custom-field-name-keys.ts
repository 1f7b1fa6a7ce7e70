import type { Logger } from '../../logger';
import type { Models } from '../../models';
import { customFieldNameKey } from '../../models/custom-field';
import { isDuplicateOnUpdate } from '../mongo-errors';

/**
 * Gives custom fields made before names were unique regardless of case their name key; the web
 * process runs it at start, before it serves. Of fields in one company whose names differ only
 * in case, the oldest keeps its name and the others become "Office (2)", "Office (3)"…: their
 * keys, values and mappings stay as they are, and each rename is logged as a warning so an admin
 * can choose better names. Start-up goes on: nothing is lost, and refusing to start would leave
 * the console unusable for a naming question. Returns how many fields were renamed.
 *
 * Not tenant-scoped: a start-up conversion of what every company stored before the rule, run
 * before anything is served (like src/store/migrations/people.ts); each rename stays within its
 * field's company, whose id is part of the name key.
 */
export async function backfillCustomFieldNameKeys(models: Models, logger: Logger): Promise<number> {
  const missing = await models.CustomField.find({ nameKey: { $exists: false } }, { companyId: 1, name: 1 }).sort({ createdAt: 1, _id: 1 }).lean();
  let renamed = 0;
  for (const field of missing) {
    for (let n = 1; ; n += 1) {
      const name = n === 1 ? field.name.trim() : `${field.name.trim()} (${n})`;
      let matched: number;
      try {
        // Only a field still without a key: another web process starting at the same time may have given it one.
        const filter = { _id: field._id, nameKey: { $exists: false } };
        matched = (await models.CustomField.updateOne(filter, { $set: { name, nameKey: customFieldNameKey(field.companyId, name) } })).matchedCount;
      } catch (error) {
        if (isDuplicateOnUpdate(error)) continue;
        throw error;
      }
      if (n > 1 && matched > 0) {
        renamed += 1;
        logger.warn(
          { customFieldId: field._id.toHexString(), companyId: field.companyId.toHexString(), from: field.name, to: name },
          'custom field renamed: another field of its company had the same name in different case',
        );
      }
      break;
    }
  }
  return renamed;
}
