import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import { sourceKey } from '../../src/models/target-user';
import { customFields } from '../../src/store/custom-fields';
import { requireRequestAdmin, storeScope } from '../auth/console-admin';
import { contains } from './text-search';

type Condition = Record<string, unknown>;

const NOBODY: Condition = { _id: { $in: [] } };

/** The "Sources" filter's value for people an admin added and no SCIM setting sends. */
export const CONSOLE_MANAGED = 'console';
/** The "Sources" filter's value for people excluded from SCIM management. */
export const EXCLUDED_FROM_SCIM = 'excluded';

/** Excluded from SCIM management: a document written before exclusion existed has no `scimExclusion`, others null. */
const EXCLUDED: Condition = { 'scimExclusion.at': { $exists: true } };

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
    const fields = await customFields.forValueSearch(models, storeScope(requireRequestAdmin()));
    const colon = value.indexOf(':');
    const named = colon > 0 ? fields.filter((f) => f.name.toLowerCase() === value.slice(0, colon).trim().toLowerCase()) : [];
    const searched = named.length > 0 ? value.slice(colon + 1).trim() : value;
    const keys = [...new Set((named.length > 0 ? named : fields).map((f) => f.key))];
    // No field to look in: nothing matches (an empty $or is not a valid query).
    if (keys.length === 0) return NOBODY;
    return { $or: keys.map((key) => ({ [`customFields.${key}`]: contains(searched) })) };
  };
}

/** "Group": the members of one target group (an id that is no group's matches nobody). */
export async function groupCondition(value: string): Promise<Condition> {
  return Types.ObjectId.isValid(value) ? { groupIds: new Types.ObjectId(value) } : NOBODY;
}

/**
 * "SCIM setting" (the links from a setting's page and its sync activity): the people the setting
 * sends, whether or not it is the one whose fields they show.
 */
export async function scimSettingCondition(value: string): Promise<Condition> {
  return Types.ObjectId.isValid(value) ? { sourceSettingIds: new Types.ObjectId(value) } : NOBODY;
}

/**
 * "Sources": the people a SCIM setting sends, those only the console manages, or those excluded
 * from SCIM management (whose "Sources" read "Excluded from SCIM", sent by a setting or not).
 */
export async function sourceCondition(value: string): Promise<Condition> {
  if (value === CONSOLE_MANAGED) return { sources: { $size: 0 }, 'scimExclusion.at': { $exists: false } };
  if (value === EXCLUDED_FROM_SCIM) return EXCLUDED;
  return scimSettingCondition(value);
}

/** "SCIM id": the person a SCIM user is a source of; within a setting when one is chosen (a sync activity line's link). */
export async function scimUserCondition(value: string, filters: Record<string, string>): Promise<Condition> {
  const setting = filters.scimSettingId;
  if (setting !== undefined) return Types.ObjectId.isValid(setting) ? { sourceKeys: sourceKey(setting, value) } : NOBODY;
  return { sourceKeys: { $regex: `:${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` } };
}
