import { nameKey, type TargetGroupSource } from '../models/target-group';
import { mapUser, planUser, type MappedUser, type ProjectionRules, type ScimUserState, type TargetUserView } from './project-user';

/** A stored SCIM User (`scim_users`) as the re-sync reads it. */
export interface StoredScimUser extends ScimUserState {
  id: string;
}

/** The fields of a target user a projection writes from the SCIM User, besides custom fields. */
export const PROJECTED_FIELDS = ['userName', 'externalId', 'email', 'firstName', 'lastName', 'department', 'phoneNumber', 'title', 'manager'] as const;

/** A target user as it is now. */
export interface CurrentTargetUser {
  scimUserId: string;
  view: TargetUserView;
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
  rules: ProjectionRules;
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
  /** SCIM Users whose stored data cannot be read: their projection fails, their target users stay as they are. */
  unreadable: number;
  /** How many existing target users each field changes for (the sync log's names: `customFields.<key>`, `status`, `groups`). */
  fields: Array<{ field: string; users: number }>;
  groups: GroupMovement[];
  examples: ExampleUser[];
}

export const PREVIEW_EXAMPLES = 10;

/** A group-by group the company does not have yet: saving makes it, so it has no id. */
const NEW_GROUP = 'new:';

/**
 * What saving new rules would do to a setting's target users: every stored SCIM User planned
 * exactly as the re-sync's projection plans it (mapUser and planUser, the workers' own pure
 * engine), with group-by names resolved to the company's groups by key and mirrored groups from
 * the setting's SCIM Groups. Nothing is written.
 */
export function previewSetting(input: PreviewInput): SettingPreview {
  const { rules } = input;
  const byKey = new Map(input.groups.map((g) => [g.key, g]));
  const byId = new Map(input.groups.map((g) => [g.id, g]));
  const scimGroupName = new Map(input.scimGroups.map((g) => [g.targetGroupId, g.displayName]));
  const mirroredOf = new Map<string, string[]>();
  for (const group of input.scimGroups) {
    for (const member of new Set(group.memberIds)) mirroredOf.set(member, [...(mirroredOf.get(member) ?? []), group.targetGroupId]);
  }
  const groupByRef = (name: string) => byKey.get(nameKey(name))?.id ?? `${NEW_GROUP}${name}`;
  const groupName = (ref: string) => (ref.startsWith(NEW_GROUP) ? ref.slice(NEW_GROUP.length) : (byId.get(ref)?.name ?? scimGroupName.get(ref) ?? ref));

  const current = new Map(input.targetUsers.map((t) => [t.scimUserId, t.view]));
  const tally = new Map<string, { before: number; after: number; gains: number; losses: number }>();
  const count = (ref: string) => tally.get(ref) ?? tally.set(ref, { before: 0, after: 0, gains: 0, losses: 0 }).get(ref)!;
  const fieldCounts = new Map<string, number>();
  const examples: ExampleUser[] = [];
  const result = { scimUsers: input.scimUsers.length, changed: 0, created: 0, removed: 0, unreadable: 0 };

  for (const scimUser of input.scimUsers) {
    let mapped: MappedUser;
    try {
      mapped = mapUser(rules, scimUser);
    } catch {
      result.unreadable += 1;
      continue;
    }
    const existing = current.get(scimUser.id) ?? null;
    const groupByName = mapped.decision.groupByName;
    const plan = planUser({ rules, resource: scimUser, mapped, existing, mirroredGroupIds: mirroredOf.get(scimUser.id) ?? [], groupByGroupId: groupByName ? groupByRef(groupByName) : null });
    const before = existing?.groupIds ?? [];
    const after = plan.action === 'write' ? plan.view.groupIds : plan.action === 'remove' ? [] : before;
    for (const ref of before) count(ref).before += 1;
    for (const ref of after) count(ref).after += 1;
    for (const ref of after) if (!before.includes(ref)) count(ref).gains += 1;
    for (const ref of before) if (!after.includes(ref)) count(ref).losses += 1;
    if (plan.action === 'none') continue;

    let example: ExampleUser;
    if (plan.action === 'remove') {
      result.removed += 1;
      example = { scimUserId: scimUser.id, email: existing?.email ?? null, kind: 'removed', changes: [] };
    } else if (plan.created) {
      result.created += 1;
      example = { scimUserId: scimUser.id, email: plan.view.email, kind: 'created', changes: describe(null, plan.view, groupName) };
    } else {
      result.changed += 1;
      for (const field of plan.changes) fieldCounts.set(field, (fieldCounts.get(field) ?? 0) + 1);
      example = { scimUserId: scimUser.id, email: plan.view.email, kind: 'changed', changes: describe(existing, plan.view, groupName).filter((c) => plan.changes.includes(c.field)) };
    }
    if (examples.length < PREVIEW_EXAMPLES) examples.push(example);
  }

  const groups = [...tally]
    .filter(([, t]) => t.gains > 0 || t.losses > 0)
    .map(([ref, { before, after, gains, losses }]): GroupMovement => {
      const isNew = ref.startsWith(NEW_GROUP);
      const known = isNew ? undefined : byId.get(ref);
      const elsewhere = isNew ? 0 : (input.membersElsewhere[ref] ?? 0);
      // A group no one is in yet and the company does not have: saving makes it (a stale id some user still holds is not "made").
      const created = isNew || (!known && before === 0);
      const membersBefore = created ? 0 : before + elsewhere;
      const membersAfter = after + elsewhere;
      return {
        groupId: isNew ? null : ref,
        name: groupName(ref),
        source: known?.source ?? (isNew ? 'groupBy' : 'idp'),
        gains,
        losses,
        membersBefore,
        membersAfter,
        created,
        emptied: !created && membersBefore > 0 && membersAfter === 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const fields = [...fieldCounts].map(([field, users]) => ({ field, users })).sort((a, b) => b.users - a.users || a.field.localeCompare(b.field));
  return { ...result, fields, groups, examples };
}

/** A target user's values side by side, under the sync log's field names (the admin may see values; the log never records them). */
function describe(before: TargetUserView | null, after: TargetUserView, groupName: (ref: string) => string): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of PROJECTED_FIELDS) {
    const was = before ? before[field] : null;
    if (was !== after[field]) changes.push({ field, before: was, after: after[field] });
  }
  const wasCustom = before?.customFields ?? {};
  for (const key of [...new Set([...Object.keys(wasCustom), ...Object.keys(after.customFields)])].sort()) {
    const was = Object.hasOwn(wasCustom, key) ? (wasCustom[key] ?? null) : null;
    const is = Object.hasOwn(after.customFields, key) ? (after.customFields[key] ?? null) : null;
    if (was !== is) changes.push({ field: `customFields.${key}`, before: was, after: is });
  }
  if ((before?.status ?? null) !== after.status) changes.push({ field: 'status', before: before?.status ?? null, after: after.status });
  const [was, is] = [before?.groupIds ?? [], after.groupIds];
  const names = (refs: string[]) => (refs.length === 0 ? null : refs.map(groupName).sort().join(', '));
  if (was.length !== is.length || was.some((ref) => !is.includes(ref))) changes.push({ field: 'groups', before: names(was), after: names(is) });
  return changes;
}
