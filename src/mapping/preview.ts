import type { DeletePolicy, GroupingCriteria } from '../models/scim-setting';
import { nameKey, type TargetGroupSource } from '../models/target-group';
import type { TargetUserStatus } from '../models/target-user';
import type { FieldMapping } from './custom-fields';
import { decideGroups } from './group-by';
import { mapScimUser } from './map-scim-user';
import type { MappedTargetUser } from './mapped-target-user';

/** A SCIM setting's rules as projections apply them, with custom fields by key and groups by id. */
export interface PreviewRules {
  fieldMappings: ReadonlyArray<FieldMapping>;
  targetGroupId: string | null;
  groupingCriteria: GroupingCriteria;
  groupByCustomFieldKey: string | null;
  deletePolicy: DeletePolicy;
}

/** A stored SCIM User (`scim_users`): its id, its JSON `data`, and whether it is a tombstone. */
export interface StoredScimUser {
  id: string;
  data: string;
  deleted: boolean;
}

/** The fields of a target user a projection writes from the SCIM User, besides custom fields. */
export const PROJECTED_FIELDS = ['userName', 'externalId', 'email', 'firstName', 'lastName', 'department', 'phoneNumber', 'title', 'manager'] as const;
export type ProjectedField = (typeof PROJECTED_FIELDS)[number];

/** A target user as it is now. */
export interface CurrentTargetUser {
  scimUserId: string;
  fields: Record<ProjectedField, string | null>;
  customFields: Record<string, string>;
  status: TargetUserStatus;
  groupIds: string[];
}

/** A target group of the company. */
export interface CompanyGroup {
  id: string;
  name: string;
  key: string;
  source: TargetGroupSource;
}

/** A SCIM Group of the setting (not deleted), with the target group it is mirrored into. */
export interface ScimGroupMembers {
  targetGroupId: string;
  displayName: string;
  memberIds: string[];
}

export interface PreviewInput {
  rules: PreviewRules;
  scimUsers: ReadonlyArray<StoredScimUser>;
  targetUsers: ReadonlyArray<CurrentTargetUser>;
  groups: ReadonlyArray<CompanyGroup>;
  scimGroups: ReadonlyArray<ScimGroupMembers>;
  /** Members of a group the re-sync does not touch (other settings' users), by group id. */
  membersElsewhere: Readonly<Record<string, number>>;
}

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface ExampleUser {
  scimUserId: string;
  email: string | null;
  kind: 'changed' | 'created' | 'removed';
  changes: FieldChange[];
}

export interface GroupMovement {
  /** The group's id; null for a group-by group that saving would create. */
  groupId: string | null;
  name: string;
  source: TargetGroupSource;
  gains: number;
  losses: number;
  membersBefore: number;
  membersAfter: number;
  created: boolean;
  emptied: boolean;
}

export interface SettingPreview {
  /** SCIM Users of the setting the re-sync projects again. */
  scimUsers: number;
  /** Existing target users that would look different. */
  changed: number;
  /** SCIM Users without a target user yet: the re-sync makes one. */
  created: number;
  /** Target users the delete policy "remove" takes away. */
  removed: number;
  /** How many existing target users each field changes for (custom fields as `customFields.<key>`, and `status`, `groups`). */
  fields: Array<{ field: string; users: number }>;
  groups: GroupMovement[];
  examples: ExampleUser[];
}

export const PREVIEW_EXAMPLES = 10;

interface GroupRef {
  ref: string;
  groupId: string | null;
  name: string;
  source: TargetGroupSource;
}

type Projected = { removed: true } | { removed: false; user: MappedTargetUser; status: TargetUserStatus; groups: GroupRef[] };

/**
 * What saving new rules would do to a setting's target users, computed the way the re-sync
 * projects each stored SCIM User (workers/processors/project-user.ts): the same mapping
 * (mapScimUser), the same grouping decision (decideGroups), group-by names resolved to the
 * company's groups by key, mirrored groups from the setting's SCIM Groups. Nothing is written.
 */
export function previewSetting(input: PreviewInput): SettingPreview {
  const { rules } = input;
  const byKey = new Map(input.groups.map((g) => [g.key, g]));
  const byId = new Map(input.groups.map((g) => [g.id, g]));
  const existingRef = (id: string, fallbackName = id): GroupRef => {
    const group = byId.get(id);
    return { ref: id, groupId: id, name: group?.name ?? fallbackName, source: group?.source ?? 'idp' };
  };
  const mirroredOf = new Map<string, GroupRef[]>();
  for (const group of input.scimGroups) {
    for (const member of new Set(group.memberIds)) mirroredOf.set(member, [...(mirroredOf.get(member) ?? []), existingRef(group.targetGroupId, group.displayName)]);
  }

  function project(scimUser: StoredScimUser): Projected {
    const user = mapScimUser(JSON.parse(scimUser.data) as object, rules.fieldMappings);
    if (scimUser.deleted && rules.deletePolicy === 'remove') return { removed: true };
    const status: TargetUserStatus = scimUser.deleted ? (rules.deletePolicy === 'deactivate' ? 'inactive' : 'deleted') : user.active ? 'active' : 'inactive';
    if (status === 'deleted') return { removed: false, user, status, groups: [] };
    const decision = decideGroups({ criteria: rules.groupingCriteria, chosenTargetGroup: rules.targetGroupId !== null, groupByCustomFieldKey: rules.groupByCustomFieldKey, user, status });
    const groups: GroupRef[] = [];
    if (decision.chosenGroup && rules.targetGroupId) groups.push(existingRef(rules.targetGroupId));
    if (decision.groupByName !== null) {
      const key = nameKey(decision.groupByName);
      const found = byKey.get(key);
      groups.push(found ? existingRef(found.id) : { ref: key, groupId: null, name: decision.groupByName, source: 'groupBy' });
    }
    if (rules.groupingCriteria === 'idpGroups') groups.push(...(mirroredOf.get(scimUser.id) ?? []));
    return { removed: false, user, status, groups: [...new Map(groups.map((g) => [g.ref, g])).values()] };
  }

  const current = new Map(input.targetUsers.map((t) => [t.scimUserId, t]));
  const tally = new Map<string, { group: GroupRef; before: number; after: number; gains: number; losses: number }>();
  const count = (group: GroupRef) => tally.get(group.ref) ?? tally.set(group.ref, { group, before: 0, after: 0, gains: 0, losses: 0 }).get(group.ref)!;
  const fieldCounts = new Map<string, number>();
  const examples: ExampleUser[] = [];
  const result = { scimUsers: input.scimUsers.length, changed: 0, created: 0, removed: 0 };

  for (const scimUser of input.scimUsers) {
    const before = current.get(scimUser.id) ?? null;
    const after = project(scimUser);
    const beforeGroups = (before?.groupIds ?? []).map((id) => existingRef(id));
    const afterGroups = after.removed ? [] : after.groups;
    const beforeRefs = new Set(beforeGroups.map((g) => g.ref));
    const afterRefs = new Set(afterGroups.map((g) => g.ref));
    for (const g of beforeGroups) count(g).before += 1;
    for (const g of afterGroups) count(g).after += 1;
    for (const g of afterGroups) if (!beforeRefs.has(g.ref)) count(g).gains += 1;
    for (const g of beforeGroups) if (!afterRefs.has(g.ref)) count(g).losses += 1;

    let kind: ExampleUser['kind'];
    let changes: FieldChange[];
    if (after.removed) {
      if (!before) continue;
      kind = 'removed';
      changes = [];
      result.removed += 1;
    } else {
      changes = differences(before, after, beforeGroups, afterGroups);
      if (!before) {
        kind = 'created';
        result.created += 1;
      } else {
        if (changes.length === 0) continue;
        kind = 'changed';
        result.changed += 1;
        for (const change of changes) fieldCounts.set(change.field, (fieldCounts.get(change.field) ?? 0) + 1);
      }
    }
    if (examples.length < PREVIEW_EXAMPLES) examples.push({ scimUserId: scimUser.id, email: after.removed ? (before?.fields.email ?? null) : after.user.email, kind, changes });
  }

  const groups = [...tally.values()]
    .filter((t) => t.gains > 0 || t.losses > 0)
    .map(({ group, before, after, gains, losses }): GroupMovement => {
      const elsewhere = group.groupId ? (input.membersElsewhere[group.groupId] ?? 0) : 0;
      // A group no one is in yet and the company does not have: saving makes it (a stale id some user still holds is not "made").
      const created = group.groupId === null || (!byId.has(group.groupId) && before === 0);
      const membersBefore = created ? 0 : before + elsewhere;
      const membersAfter = after + elsewhere;
      return { groupId: group.groupId, name: group.name, source: group.source, gains, losses, membersBefore, membersAfter, created, emptied: !created && membersBefore > 0 && membersAfter === 0 };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const fields = [...fieldCounts].map(([field, users]) => ({ field, users })).sort((a, b) => b.users - a.users || a.field.localeCompare(b.field));
  return { ...result, fields, groups, examples };
}

const groupNames = (groups: GroupRef[]) => (groups.length === 0 ? null : groups.map((g) => g.name).sort().join(', '));

/** What differs between a target user now and after, with values (the admin may see them; the sync log never records them). */
function differences(before: CurrentTargetUser | null, after: Extract<Projected, { removed: false }>, beforeGroups: GroupRef[], afterGroups: GroupRef[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of PROJECTED_FIELDS) {
    const was = before ? before.fields[field] : null;
    if (was !== after.user[field]) changes.push({ field, before: was, after: after.user[field] });
  }
  const wasCustom = before?.customFields ?? {};
  for (const key of [...new Set([...Object.keys(wasCustom), ...Object.keys(after.user.customFields)])].sort()) {
    const was = Object.hasOwn(wasCustom, key) ? (wasCustom[key] ?? null) : null;
    const is = Object.hasOwn(after.user.customFields, key) ? (after.user.customFields[key] ?? null) : null;
    if (was !== is) changes.push({ field: `customFields.${key}`, before: was, after: is });
  }
  if ((before?.status ?? null) !== after.status) changes.push({ field: 'status', before: before?.status ?? null, after: after.status });
  const sameGroups = beforeGroups.length === afterGroups.length && beforeGroups.every((g) => afterGroups.some((a) => a.ref === g.ref));
  if (!sameGroups) changes.push({ field: 'groups', before: groupNames(beforeGroups), after: groupNames(afterGroups) });
  return changes;
}
