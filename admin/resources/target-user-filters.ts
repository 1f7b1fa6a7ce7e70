import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import { companyScope, requireRequestAdmin } from '../auth/console-admin';
import { contains } from './text-search';

type Condition = Record<string, unknown>;


/**
 * "Search" on target users: every word typed must appear in the e-mail, the user name, the
 * first name or the last name ("ada love" finds Ada Lovelace), whatever the case.
 */
export async function searchCondition(value: string): Promise<Condition> {
  const words = value.split(/\s+/).filter((w) => w !== '');
  return { $and: words.map((word) => ({ $or: ['email', 'userName', 'firstName', 'lastName'].map((path) => ({ [path]: contains(word) })) })) };
}

/**
 * "Custom field value": "Office: Berlin" looks in the custom field named Office; "Berlin"
 * alone in every custom field of the admin's company (all companies' for a platform admin).
 */
export function customFieldValueCondition(models: Models) {
  return async (value: string): Promise<Condition> => {
    const scope = companyScope(requireRequestAdmin());
    const fields = await models.CustomField.find(scope ? { companyId: scope } : {}, { key: 1, name: 1 }).lean();
    const colon = value.indexOf(':');
    const named = colon > 0 ? fields.filter((f) => f.name.toLowerCase() === value.slice(0, colon).trim().toLowerCase()) : [];
    const searched = named.length > 0 ? value.slice(colon + 1).trim() : value;
    const keys = [...new Set((named.length > 0 ? named : fields).map((f) => f.key))];
    // No field to look in: nothing matches (an empty $or is not a valid query).
    if (keys.length === 0) return { _id: { $in: [] } };
    return { $or: keys.map((key) => ({ [`customFields.${key}`]: contains(searched) })) };
  };
}

/** "Group": the members of one target group (an id that is no group's matches nobody). */
export async function groupCondition(value: string): Promise<Condition> {
  return Types.ObjectId.isValid(value) ? { groupIds: new Types.ObjectId(value) } : { _id: { $in: [] } };
}
