import { nameKey, type TargetGroupSource } from '../models/target-group';
import type { ConflictReason } from '../models/target-user-conflict';
import { emailKeyOf } from './address';
import { keyOfSource, placeSources, type PersonState, type SettingRank, type SourceChange } from './people';
import { comparePeople, type GroupMovement, type PersonChange } from './preview-compare';
import { mapUser, planUser, type MappedUser, type ProjectionRules, type ScimUserState } from './project-user';

export { PROJECTED_FIELDS, type FieldChange, type GroupMovement, type PersonChange } from './preview-compare';

/** A stored SCIM User (`scim_users`) as the re-sync reads it. */
export interface StoredScimUser extends ScimUserState {
  id: string;
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

/** A conflict of the setting (src/models/target-user-conflict.ts). */
export interface OpenConflict {
  scimUserId: string;
  reason: ConflictReason;
  email: string;
  /** The target user holding the address. */
  heldBy: string;
}

export interface PreviewInput {
  settingId: string;
  rules: ProjectionRules;
  /** The company's order of SCIM settings and their take-over option, this setting's as on the form (src/store/setting-ranks.ts). */
  ranks: ReadonlyMap<string, SettingRank>;
  scimUsers: ReadonlyArray<StoredScimUser>;
  /** The company's target users as stored: the re-sync may join, take over or re-derive any of them. */
  people: ReadonlyArray<PersonState>;
  groups: ReadonlyArray<CompanyGroup>;
  scimGroups: ReadonlyArray<ScimGroupMembers>;
  conflicts: ReadonlyArray<OpenConflict>;
  now?: number;
}

export interface TakeOver {
  targetUserId: string;
  scimUserId: string;
  /** The console-managed target user's address. */
  email: string | null;
}

export interface ConflictLine extends OpenConflict {
  /** The address of the target user holding it, as it shows now. */
  heldByEmail: string | null;
}

export interface SettingPreview {
  /** SCIM Users of the setting the re-sync projects again. */
  scimUsers: number;
  /** SCIM Users whose stored data cannot be read: their projection fails, their target users stay as they are. */
  unreadable: number;
  /** Existing target users that would look different (fields, status, groups or which setting manages them), take-overs among them. */
  changed: number;
  /** New target users. */
  created: number;
  /** Target users the delete policy "remove" takes away (their last source gone). */
  removed: number;
  /** Console-managed target users a SCIM user of this setting would take over. */
  tookOver: TakeOver[];
  conflicts: {
    /** SCIM users the re-sync could not place that are not reported as such now (or for another reason or holder). */
    appear: ConflictLine[];
    /** Reported now, placed by the re-sync. */
    resolved: ConflictLine[];
    /** Reported now and still after. */
    stay: number;
  };
  /** How many existing target users each shown field changes for (the sync log's names; `managedBy` for the setting whose fields show). */
  fields: Array<{ field: string; users: number }>;
  /** Changes this setting makes to its own view of people that they would not show (another source comes first or stays active), by field. */
  masked: Array<{ field: string; users: number }>;
  /** Which setting's fields target users show, before → after (setting ids; null: console-managed). */
  managedBy: Array<{ from: string | null; to: string | null; users: number }>;
  statuses: Array<{ from: string; to: string; users: number }>;
  groups: GroupMovement[];
  examples: PersonChange[];
}

export const PREVIEW_EXAMPLES = 10;

/** A group-by group the company does not have yet: saving makes it, so it has no id. */
export const NEW_GROUP = 'new:';
/** A target user the re-sync would make: it has no id yet. */
const NEW_PERSON = 'new-target-user:';
export const isNewTargetUser = (id: string) => id.startsWith(NEW_PERSON);

/**
 * What saving a SCIM setting's rules would do to its company's target users: the re-sync after
 * Save, run in memory. Every stored SCIM User of the setting is planned exactly as the
 * projection plans it (mapUser and planUser) and placed on the company's people exactly as it
 * places them (placeSources), with the take-over option and field precedence as on the form, so
 * precedence, take-over, joins and conflicts come out as the re-sync makes them. The outcome is
 * compared person by person with what is stored. Nothing is written.
 */
export function previewSetting(input: PreviewInput): SettingPreview {
  const { rules, settingId } = input;
  const byKey = new Map(input.groups.map((g) => [g.key, g]));
  const byId = new Map(input.groups.map((g) => [g.id, g]));
  const scimGroupName = new Map(input.scimGroups.map((g) => [g.targetGroupId, g.displayName]));
  const mirroredOf = new Map<string, string[]>();
  for (const group of input.scimGroups) {
    for (const member of new Set(group.memberIds)) mirroredOf.set(member, [...(mirroredOf.get(member) ?? []), group.targetGroupId]);
  }
  const groupByRef = (name: string) => byKey.get(nameKey(name))?.id ?? `${NEW_GROUP}${name}`;
  const groupName = (ref: string) => (ref.startsWith(NEW_GROUP) ? ref.slice(NEW_GROUP.length) : (byId.get(ref)?.name ?? scimGroupName.get(ref) ?? ref));

  const sources = new Map(input.people.flatMap((p) => p.sources.map((s) => [keyOfSource(s), s] as const)));
  const changes: SourceChange[] = [];
  let unreadable = 0;
  for (const scimUser of input.scimUsers) {
    let mapped: MappedUser;
    try {
      mapped = mapUser(rules, scimUser);
    } catch {
      unreadable += 1;
      continue;
    }
    const ref = { scimSettingId: settingId, scimUserId: scimUser.id };
    const source = sources.get(keyOfSource(ref));
    const groupByName = mapped.decision.groupByName;
    const plan = planUser({ rules, resource: scimUser, mapped, existing: source?.view ?? null, mirroredGroupIds: mirroredOf.get(scimUser.id) ?? [], groupByGroupId: groupByName ? groupByRef(groupByName) : null });
    // The changes a re-sync's due records ask for (workers/projection/project-users.ts): a user
    // whose own view stays as it is still goes through placement, which re-applies the order of
    // settings and the take-over option to its person.
    if (plan.action === 'write') changes.push({ kind: 'write', ...ref, emailKey: emailKeyOf(mapped.user, settingId, scimUser.id), view: plan.view, version: scimUser.version, rulesVersion: rules.rulesVersion });
    else if (plan.action === 'remove') changes.push({ kind: 'remove', ...ref });
    else if (source) changes.push({ kind: 'write', ...ref, emailKey: source.emailKey, view: source.view, version: source.version, rulesVersion: source.rulesVersion });
  }

  let made = 0;
  const placed = placeSources([...input.people], changes, { settings: input.ranks, now: input.now ?? Date.now(), newId: () => `${NEW_PERSON}${(made += 1)}` });
  const before = new Map(input.people.map((p) => [p.id, p] as const));
  const compared = comparePeople({
    settingId,
    before: input.people,
    placed,
    group: (ref) => {
      const isNew = ref.startsWith(NEW_GROUP);
      const known = byId.get(ref);
      return { groupId: isNew ? null : ref, name: groupName(ref), source: known?.source ?? (isNew ? 'groupBy' : 'idp'), exists: Boolean(known) };
    },
  });

  const tookOver: TakeOver[] = [];
  const open = new Map(input.conflicts.map((c) => [c.scimUserId, c] as const));
  const emailOf = (id: string) => (placed.people.get(id) ?? before.get(id))?.shown.email ?? null;
  const line = (c: OpenConflict): ConflictLine => ({ ...c, heldByEmail: emailOf(c.heldBy) });
  const conflicts: SettingPreview['conflicts'] = { appear: [], resolved: [], stay: 0 };
  // As the projection settles them (src/store/target-user-conflicts.ts): a placed SCIM user's
  // conflict goes, a conflict found stands; a user the re-sync leaves unplaced keeps its own.
  for (const change of changes) {
    const placement = placed.placements.get(keyOfSource(change));
    const was = open.get(change.scimUserId);
    if (placement?.result === 'conflict') {
      const found = { scimUserId: change.scimUserId, reason: placement.reason, email: placement.email, heldBy: placement.heldBy };
      if (was && was.reason === found.reason && was.heldBy === found.heldBy && was.email === found.email) conflicts.stay += 1;
      else conflicts.appear.push(line(found));
    } else if (placement && was) conflicts.resolved.push(line(was));
    if (placement?.result === 'tookOver') tookOver.push({ targetUserId: placement.targetUserId, scimUserId: change.scimUserId, email: before.get(placement.targetUserId)?.shown.email ?? null });
  }
  const placedUsers = new Set(changes.map((c) => c.scimUserId));
  conflicts.stay += input.conflicts.filter((c) => !placedUsers.has(c.scimUserId)).length;

  return {
    scimUsers: input.scimUsers.length,
    unreadable,
    changed: compared.changed,
    created: compared.created,
    removed: compared.removed,
    tookOver,
    conflicts,
    fields: compared.fields,
    masked: compared.masked,
    managedBy: compared.managedBy,
    statuses: compared.statuses,
    groups: compared.groups,
    examples: compared.people.slice(0, PREVIEW_EXAMPLES),
  };
}
