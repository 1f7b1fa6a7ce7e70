import type { DeletePolicy, GroupingCriteria } from '../models/scim-setting';
import type { TargetUserStatus } from '../models/target-user';
import { changedFields } from './changed-fields';
import type { FieldMapping } from './custom-fields';
import { decideGroups, type GroupDecision } from './group-by';
import { mapScimUser } from './map-scim-user';
import type { MappedTargetUser } from './mapped-target-user';

/** A SCIM setting as projections use it: mappings resolved to custom field keys, ids as hex strings. */
export interface ProjectionRules {
  rulesVersion: number;
  fieldMappings: FieldMapping[];
  /** The chosen target group ("Group Name"), when it still exists. */
  targetGroupId: string | null;
  groupingCriteria: GroupingCriteria;
  groupByCustomFieldKey: string | null;
  deletePolicy: DeletePolicy;
}

/** The stored SCIM User, as far as a projection reads it. */
export interface ScimUserState {
  version: number;
  deleted: boolean;
  /** The resource's JSON (the store's `data`). */
  data: string;
}

/** What a target user shows, as far as projections write it. */
export interface TargetUserView extends Omit<MappedTargetUser, 'active'> {
  status: TargetUserStatus;
  groupIds: string[];
}

export interface MappedUser {
  user: MappedTargetUser;
  status: TargetUserStatus;
  decision: GroupDecision;
}

/**
 * First half of a user's projection: its fields and the groups its setting's rules name
 * (group-by groups by name). Throws when the stored JSON is unreadable: a user projected from
 * nothing would lose every field, so that user fails and is retried instead.
 */
export function mapUser(rules: ProjectionRules, resource: ScimUserState): MappedUser {
  const user = mapScimUser(JSON.parse(resource.data) as object, rules.fieldMappings);
  const status: TargetUserStatus = resource.deleted ? (rules.deletePolicy === 'deactivate' ? 'inactive' : 'deleted') : user.active ? 'active' : 'inactive';
  const decision = decideGroups({
    criteria: rules.groupingCriteria,
    chosenTargetGroup: rules.targetGroupId !== null,
    groupByCustomFieldKey: rules.groupByCustomFieldKey,
    user,
    status,
  });
  return { user, status, decision };
}

export type UserPlan =
  | { action: 'write'; view: TargetUserView; created: boolean; changes: string[] }
  | { action: 'remove' }
  | { action: 'none' };

export interface UserPlanInput {
  rules: ProjectionRules;
  resource: ScimUserState;
  mapped: MappedUser;
  existing: TargetUserView | null;
  /** Target groups of the live SCIM groups naming this user (mirrored IdP groups). */
  mirroredGroupIds: string[];
  /** The id of the group-by group `mapped.decision.groupByName` names. */
  groupByGroupId: string | null;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/**
 * Second half: what the target user must become. Computed from the latest stored state and
 * the current rules only, so applying a plan twice, or an older job's plan after a newer one's,
 * is impossible to tell apart from applying the newest once: "none" when nothing differs.
 */
export function planUser(input: UserPlanInput): UserPlan {
  const { rules, resource, mapped, existing } = input;
  if (resource.deleted && rules.deletePolicy === 'remove') return existing ? { action: 'remove' } : { action: 'none' };
  const groupIds: string[] = [];
  if (mapped.status !== 'deleted') {
    if (mapped.decision.chosenGroup && rules.targetGroupId) groupIds.push(rules.targetGroupId);
    if (input.groupByGroupId) groupIds.push(input.groupByGroupId);
    if (rules.groupingCriteria === 'idpGroups') groupIds.push(...input.mirroredGroupIds);
  }
  const { active: _active, ...fields } = mapped.user;
  const view: TargetUserView = { ...fields, status: mapped.status, groupIds: [...new Set(groupIds)].sort() };
  if (!existing) return { action: 'write', view, created: true, changes: ['created'] };
  const before: MappedTargetUser = { ...existing, active: existing.status === 'active' };
  const changes = changedFields(before, mapped.user).filter((name) => name !== 'active');
  if (existing.status !== view.status) changes.push('status');
  if (!sameSet(existing.groupIds, view.groupIds)) changes.push('groups');
  return changes.length === 0 ? { action: 'none' } : { action: 'write', view, created: false, changes };
}
