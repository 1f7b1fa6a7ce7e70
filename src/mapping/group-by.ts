import { createHash } from 'node:crypto';
import type { GroupingCriteria } from '../models/scim-setting';
import type { TargetUserStatus } from '../models/target-user';
import type { MappedTargetUser } from './mapped-target-user';

/** The target group model's limit on a name. */
export const MAX_GROUP_NAME_LENGTH = 256;
const HASH_LENGTH = 8;

/**
 * The target group name for a group-by value: trimmed, exact case (a case-only change moves
 * the user to the group spelled the new way), null when empty. A value longer than a group name
 * may be is cut and suffixed with a hash of the whole value, so two long values that share their
 * beginning still name two groups, and the same value always names the same group.
 */
export function targetGroupName(value: string | null | undefined): string | null {
  const name = value?.trim() ?? '';
  if (name === '') return null;
  if (name.length <= MAX_GROUP_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  let cut = MAX_GROUP_NAME_LENGTH - HASH_LENGTH - 1;
  // Never split a surrogate pair: half an emoji is not valid text.
  if (/[\uD800-\uDBFF]/.test(name.charAt(cut - 1))) cut -= 1;
  return `${name.slice(0, cut).trimEnd()}~${hash}`;
}

export interface GroupDecisionInput {
  criteria: GroupingCriteria;
  /** Whether the SCIM setting names a target group ("Group Name" in the docs). */
  chosenTargetGroup: boolean;
  /** With criteria 'customField': the custom field whose value names the group. */
  groupByCustomFieldKey?: string | null;
  user: MappedTargetUser;
  status: TargetUserStatus;
}

export interface GroupDecision {
  /** Whether the user belongs in the setting's chosen target group. */
  chosenGroup: boolean;
  /** The group-by group the user belongs in, by name; null for none. */
  groupByName: string | null;
}

function groupByValue(input: GroupDecisionInput): string | null {
  if (input.criteria === 'department') return input.user.department;
  const key = input.groupByCustomFieldKey;
  if (input.criteria === 'customField' && key && Object.hasOwn(input.user.customFields, key)) {
    return input.user.customFields[key] ?? null;
  }
  return null;
}

/**
 * Which target groups a user's SCIM setting puts it in (mirrored IdP groups are decided
 * elsewhere). Without group by, everyone goes to the chosen group, or to no group ("People")
 * when none is chosen. With group by department or a custom field, a user with a value goes
 * only to the group that value names, and one without falls back as above. A deleted user is in
 * no group; an inactive one keeps its groups, because Entra deactivates first and does not
 * resend memberships when it reactivates.
 */
export function decideGroups(input: GroupDecisionInput): GroupDecision {
  if (input.status === 'deleted') return { chosenGroup: false, groupByName: null };
  const groupByName = targetGroupName(groupByValue(input));
  if (groupByName !== null) return { chosenGroup: false, groupByName };
  return { chosenGroup: input.chosenTargetGroup, groupByName: null };
}
