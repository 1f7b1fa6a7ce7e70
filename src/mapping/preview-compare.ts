import type { TargetGroupSource } from '../models/target-group';
import { keyOfSource, type PersonState, type PlacedPeople } from './people';
import type { TargetUserView } from './project-user';

/** The fields of a target user a projection writes from the SCIM User, besides custom fields. */
export const PROJECTED_FIELDS = ['userName', 'externalId', 'email', 'firstName', 'lastName', 'department', 'phoneNumber', 'title', 'manager'] as const;

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** One target user the re-sync would change, as the preview shows it. */
export interface PersonChange {
  /** Its id; a new one has none yet (a placeholder). */
  targetUserId: string;
  email: string | null;
  /** `tookOver`: a console-managed target user a SCIM user takes over; `unchanged`: shows nothing new, only `masked` changes. */
  kind: 'changed' | 'created' | 'removed' | 'tookOver' | 'unchanged';
  /** What it shows, before and after (`managedBy`: the id of the setting whose fields it shows, null for console-managed). */
  changes: FieldChange[];
  /** Fields this setting's own view of it changes that it would not show: another source comes first. */
  masked: string[];
}

export interface GroupMovement {
  /** The group's id; null for a group-by group that saving would create. */
  groupId: string | null;
  name: string;
  source: TargetGroupSource;
  gains: number;
  losses: number;
  /** Target users this setting's rules take out of the group who stay in it: another source's rules or an admin put them there too. */
  kept: number;
  membersBefore: number;
  membersAfter: number;
  created: boolean;
  emptied: boolean;
}

/** What the preview knows of a group reference: a group of the company, a mirrored group not made yet, or a group-by group not made yet. */
export interface GroupInfo {
  groupId: string | null;
  name: string;
  source: TargetGroupSource;
  exists: boolean;
}

export interface CompareInput {
  settingId: string;
  before: ReadonlyArray<PersonState>;
  placed: PlacedPeople;
  group: (ref: string) => GroupInfo;
}

export interface ComparedPeople {
  changed: number;
  created: number;
  removed: number;
  fields: Array<{ field: string; users: number }>;
  masked: Array<{ field: string; users: number }>;
  managedBy: Array<{ from: string | null; to: string | null; users: number }>;
  statuses: Array<{ from: string; to: string; users: number }>;
  groups: GroupMovement[];
  /** Every target user that changes or hides a change, by address. */
  people: PersonChange[];
}

const managerOf = (person: PersonState) => person.fieldSource?.scimSettingId ?? null;

/** The groups this setting's own rules give a person (all its sources of the setting: an account and its admin twin may share one). */
const groupsFrom = (person: PersonState, settingId: string) => new Set(person.sources.filter((s) => s.scimSettingId === settingId).flatMap((s) => s.view.groupIds));

function memberCounts(people: Iterable<PersonState>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const person of people) for (const ref of new Set(person.shown.groupIds)) counts.set(ref, (counts.get(ref) ?? 0) + 1);
  return counts;
}

const counted = <T>(counts: Map<string, { value: T; users: number }>) => [...counts.values()].map(({ value, users }) => ({ ...value, users })).sort((a, b) => b.users - a.users);
const add = <T>(counts: Map<string, { value: T; users: number }>, value: T) => {
  const key = JSON.stringify(value);
  counts.set(key, { value, users: (counts.get(key)?.users ?? 0) + 1 });
};

/**
 * The company's target users before and after the re-sync's placement (placeSources), person by
 * person: what each shows (fields of the source first in the order of settings, status, the
 * union of its sources' and its manual groups), which setting manages it, and the changes of this
 * setting's own view of it that it would not show. Group movements are counted on what people
 * show, so a person staying in a group through another source or a manual group does not leave it.
 */
export function comparePeople(input: CompareInput): ComparedPeople {
  const { placed, settingId } = input;
  const before = new Map(input.before.map((p) => [p.id, p] as const));
  const groupName = (ref: string) => input.group(ref).name;
  const fields = new Map<string, { value: { field: string }; users: number }>();
  const masked = new Map<string, { value: { field: string }; users: number }>();
  const managedBy = new Map<string, { value: { from: string | null; to: string | null }; users: number }>();
  const statuses = new Map<string, { value: { from: string; to: string }; users: number }>();
  const tally = new Map<string, { gains: number; losses: number; kept: number }>();
  const count = (ref: string) => tally.get(ref) ?? tally.set(ref, { gains: 0, losses: 0, kept: 0 }).get(ref)!;
  const people: Array<PersonChange & { order: string }> = [];
  let changed = 0;

  for (const id of new Set([...placed.created, ...placed.changed, ...placed.removed])) {
    const was = before.get(id) ?? null;
    const is = placed.people.get(id) ?? null;
    const [wasGroups, isGroups] = [was?.shown.groupIds ?? [], is?.shown.groupIds ?? []];
    for (const ref of isGroups) if (!wasGroups.includes(ref)) count(ref).gains += 1;
    for (const ref of wasGroups) if (!isGroups.includes(ref)) count(ref).losses += 1;
    const order = (is ?? was)!.emailKey;
    if (!is) {
      people.push({ order, targetUserId: id, email: was!.shown.email, kind: 'removed', changes: [], masked: [] });
      continue;
    }
    const changes = describe(was?.shown ?? null, is.shown, groupName);
    if (!was || managerOf(was) !== managerOf(is)) changes.push({ field: 'managedBy', before: was ? managerOf(was) : null, after: managerOf(is) });
    if (!was) {
      people.push({ order, targetUserId: id, email: is.shown.email, kind: 'created', changes, masked: [] });
      continue;
    }
    const [wasOwn, isOwn] = [groupsFrom(was, settingId), groupsFrom(is, settingId)];
    for (const ref of wasOwn) if (!isOwn.has(ref) && isGroups.includes(ref)) count(ref).kept += 1;
    const hidden = maskedFields(was, is, settingId, changes);
    for (const field of hidden) add(masked, { field });
    if (changes.length === 0 && hidden.length === 0) continue;
    if (changes.length > 0) changed += 1;
    for (const change of changes) add(fields, { field: change.field });
    if (was.shown.status !== is.shown.status) add(statuses, { from: was.shown.status, to: is.shown.status });
    if (managerOf(was) !== managerOf(is)) add(managedBy, { from: managerOf(was), to: managerOf(is) });
    const kind = changes.length === 0 ? 'unchanged' : was.sources.length === 0 && is.sources.length > 0 ? 'tookOver' : 'changed';
    people.push({ order, targetUserId: id, email: is.shown.email, kind, changes, masked: hidden });
  }

  const membersBefore = memberCounts(input.before);
  const membersAfter = memberCounts(placed.people.values());
  const groups = [...tally]
    .filter(([, t]) => t.gains > 0 || t.losses > 0 || t.kept > 0)
    .map(([ref, t]): GroupMovement => {
      const info = input.group(ref);
      const [wasMembers, isMembers] = [membersBefore.get(ref) ?? 0, membersAfter.get(ref) ?? 0];
      // A group no one is in yet and the company does not have: saving makes it (a stale id some target user still holds is not "made").
      const created = !info.exists && wasMembers === 0;
      return { groupId: info.groupId, name: info.name, source: info.source, ...t, membersBefore: wasMembers, membersAfter: isMembers, created, emptied: !created && wasMembers > 0 && isMembers === 0 };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    changed,
    created: placed.created.size,
    removed: placed.removed.size,
    fields: counted(fields).sort((a, b) => b.users - a.users || a.field.localeCompare(b.field)),
    masked: counted(masked).sort((a, b) => b.users - a.users || a.field.localeCompare(b.field)),
    managedBy: counted(managedBy),
    statuses: counted(statuses),
    groups,
    people: people.sort((a, b) => a.order.localeCompare(b.order)).map(({ order: _order, ...person }) => person),
  };
}

/**
 * Changes of this setting's own view of a person (its source) that the person would not show:
 * its fields when another setting's come first, its deactivation while another source stays
 * active. Groups are left to the group movements (`kept`).
 */
function maskedFields(was: PersonState, is: PersonState, settingId: string, shown: FieldChange[]): string[] {
  const showing = new Set(shown.map((c) => c.field));
  const hidden = new Set<string>();
  for (const source of was.sources) {
    if (source.scimSettingId !== settingId) continue;
    const after = is.sources.find((s) => keyOfSource(s) === keyOfSource(source));
    if (!after) continue;
    for (const { field } of describe(source.view, after.view, String)) if (field !== 'groups' && !showing.has(field)) hidden.add(field);
  }
  return [...hidden].sort();
}

/** A target user's values side by side, under the sync log's field names (the admin may see values; the log never records them). */
export function describe(before: TargetUserView | null, after: TargetUserView, groupName: (ref: string) => string): FieldChange[] {
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
