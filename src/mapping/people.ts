import type { TargetUserOrigin } from '../models/target-user';
import type { ConflictReason } from '../models/target-user-conflict';
import type { TargetUserView } from './project-user';

/** One SCIM setting's claim on a person (src/models/target-user.ts, `sources`). Times in ms. */
export interface SourceState {
  scimSettingId: string;
  scimUserId: string;
  emailKey: string;
  view: TargetUserView;
  version: number;
  rulesVersion: number;
  deprovisionedAt: number | null;
  lastSyncedAt: number | null;
  createdAt: number;
}

/**
 * A person an admin excluded from SCIM management (README "Who is a target user"): since when,
 * and the target groups its sources gave it then, which it keeps while excluded. Times in ms.
 */
export interface ScimExclusion {
  at: number;
  groupIds: string[];
}

/** A target user as identity rules see it. */
export interface PersonState {
  id: string;
  emailKey: string;
  origin: TargetUserOrigin;
  /** What it shows: derived from its sources (`derivePerson`), or typed by an admin when it has none. */
  shown: TargetUserView;
  manualGroupIds: string[];
  sources: SourceState[];
  /** The source whose fields it shows (null: console-managed). */
  fieldSource: { scimSettingId: string; scimUserId: string } | null;
  sync: { version: number; rulesVersion: number };
  createdAt: number;
  /** Excluded from SCIM management; absent or null (as in every document written before exclusion existed): SCIM manages it. */
  exclusion?: ScimExclusion | null;
}

/** What one SCIM user's projection asks of its person: its source as it is now, or gone (a DELETE under the "remove" policy). */
export type SourceChange =
  | { kind: 'write'; scimSettingId: string; scimUserId: string; emailKey: string; view: TargetUserView; version: number; rulesVersion: number }
  | { kind: 'remove'; scimSettingId: string; scimUserId: string };

/** Where a SCIM user ended up, for its sync activity line. */
export type Placement =
  /** A new target user; joined one another SCIM source already made; took over a console-managed one. */
  | { result: 'created' | 'joined' | 'tookOver'; targetUserId: string }
  /** Its own target user, at the same address; moved to a free address; or left a shared one for a new one at its new address. */
  | { result: 'updated' | 'moved' | 'split'; targetUserId: string }
  | { result: 'removed'; targetUserId: string }
  /** Recorded as a source of a target user excluded from SCIM management, which it leaves as it was (a write, a new SCIM user at its address, a removal). */
  | { result: 'excluded'; targetUserId: string }
  /** Not placed as it asked: `targetUserId` is the one it stays on (an address change), or null (not projected). */
  | { result: 'conflict'; reason: ConflictReason; email: string; heldBy: string; targetUserId: string | null }
  | { result: 'none' };

export interface SettingRank {
  /** The company's order of SCIM settings: lower first. */
  order: number;
  takeOverExisting: boolean;
}

export interface PlaceOptions {
  settings: ReadonlyMap<string, SettingRank>;
  now: number;
  newId: () => string;
}

export interface PlacedPeople {
  placements: Map<string, Placement>;
  /** Every person after the batch, by id (removed ones left out). */
  people: Map<string, PersonState>;
  created: Set<string>;
  changed: Set<string>;
  removed: Set<string>;
}

export const keyOfSource = (source: { scimSettingId: string; scimUserId: string }) => `${source.scimSettingId}:${source.scimUserId}`;

const LAST = Number.MAX_SAFE_INTEGER;

/**
 * Places a batch of SCIM users of one company onto people, by the rules of README "Who is a
 * target user": one person per normalised address; a new SCIM user joins the person holding its
 * address (taking over a console-managed one unless its setting says not to, which is a
 * conflict); an address change moves the person when the address is free and nobody else's
 * source stays behind, leaves for a new person when others stay, and is a conflict when another
 * person holds it (never a merge); a removed source leaves, and a person left with no source
 * goes (its last source's delete policy was "remove"). A person excluded from SCIM management
 * records every change of its sources but shows none of them (`derivePerson`): it stays at its
 * address, a new SCIM user there joins it whatever take-over says, and it stays when its last
 * source leaves. Pure: the people read for the batch in, the people to write out. One change per
 * SCIM user (a batch groups its due records by resource).
 */
export function placeSources(read: PersonState[], changes: SourceChange[], options: PlaceOptions): PlacedPeople {
  const people = new Map(read.map((p) => [p.id, clone(p)] as const));
  const byKey = new Map<string, PersonState>();
  const bySource = new Map<string, PersonState>();
  for (const person of people.values()) {
    byKey.set(person.emailKey, person);
    for (const source of person.sources) bySource.set(keyOfSource(source), person);
  }
  const out: PlacedPeople = { placements: new Map(), people, created: new Set(), changed: new Set(), removed: new Set() };
  const rank = (settingId: string) => options.settings.get(settingId) ?? { order: LAST, takeOverExisting: true };

  const attach = (person: PersonState, source: SourceState) => {
    const at = person.sources.findIndex((s) => keyOfSource(s) === keyOfSource(source));
    person.sources = at < 0 ? [...person.sources, source] : person.sources.with(at, source);
    bySource.set(keyOfSource(source), person);
    if (!out.created.has(person.id)) out.changed.add(person.id);
  };
  const detach = (person: PersonState, key: string) => {
    person.sources = person.sources.filter((s) => keyOfSource(s) !== key);
    bySource.delete(key);
    if (!out.created.has(person.id)) out.changed.add(person.id);
    // An excluded person is the console's to delete: SCIM leaves it alone.
    if (person.sources.length === 0 && !person.exclusion) {
      people.delete(person.id);
      byKey.delete(person.emailKey);
      if (!out.created.delete(person.id)) out.removed.add(person.id);
      out.changed.delete(person.id);
    }
  };
  const create = (emailKey: string, source: SourceState): PersonState => {
    const person: PersonState = {
      id: options.newId(),
      emailKey,
      origin: 'scim',
      shown: source.view,
      manualGroupIds: [],
      sources: [],
      fieldSource: null,
      sync: { version: source.version, rulesVersion: source.rulesVersion },
      createdAt: options.now,
    };
    people.set(person.id, person);
    byKey.set(emailKey, person);
    out.created.add(person.id);
    attach(person, source);
    return person;
  };
  const sourceOf = (change: Extract<SourceChange, { kind: 'write' }>, before: SourceState | undefined): SourceState => ({
    scimSettingId: change.scimSettingId,
    scimUserId: change.scimUserId,
    emailKey: change.emailKey,
    view: change.view,
    version: change.version,
    rulesVersion: change.rulesVersion,
    deprovisionedAt: change.view.status === 'active' ? null : (before?.deprovisionedAt ?? options.now),
    lastSyncedAt: options.now,
    createdAt: before?.createdAt ?? options.now,
  });

  const moves: Array<{ person: PersonState; source: SourceState; before: SourceState }> = [];
  const arrivals: Array<Extract<SourceChange, { kind: 'write' }>> = [];
  for (const change of changes) {
    const key = keyOfSource(change);
    const person = bySource.get(key);
    if (change.kind === 'remove') {
      if (!person) {
        out.placements.set(key, { result: 'none' });
        continue;
      }
      out.placements.set(key, { result: person.exclusion ? 'excluded' : 'removed', targetUserId: person.id });
      detach(person, key);
      continue;
    }
    if (!person) {
      arrivals.push(change);
      continue;
    }
    const before = person.sources.find((s) => keyOfSource(s) === key)!;
    const source = sourceOf(change, before);
    if (source.emailKey === person.emailKey) {
      attach(person, source);
      out.placements.set(key, { result: person.exclusion ? 'excluded' : 'updated', targetUserId: person.id });
    } else if (person.exclusion) {
      // An excluded person keeps its address: the source stays with it there, as in a conflict,
      // and its move is made once the person is managed by SCIM again and the SCIM user projected.
      attach(person, atAddressOf(person, source, before));
      out.placements.set(key, { result: 'excluded', targetUserId: person.id });
    } else moves.push({ person, source, before });
  }

  // Address changes: all of a person's sources to one free address moves it; some staying
  // behind, the movers leave for a person at their new address; an address someone else holds
  // is a conflict, and the source stays, keeping the person's address. A move onto an address
  // another mover of the batch leaves waits for that one first, so the outcome does not depend on
  // the order of the batch (and its replay finds everyone placed).
  const staying = new Map<PersonState, number>();
  for (const { person } of moves) staying.set(person, person.sources.filter((s) => !moves.some((m) => m.person === person && keyOfSource(m.before) === keyOfSource(s))).length);
  const moved = new Set<PersonState>();
  const move = ({ person, source }: (typeof moves)[number]) => {
    const key = keyOfSource(source);
    const holder = byKey.get(source.emailKey);
    if (staying.get(person) === 0 && !moved.has(person) && !holder) {
      // The first mover takes the person along; those after it to the same address find it there.
      moved.add(person);
      byKey.delete(person.emailKey);
      person.emailKey = source.emailKey;
      byKey.set(person.emailKey, person);
    }
    if (holder === person || person.emailKey === source.emailKey) {
      attach(person, source);
      out.placements.set(key, { result: 'moved', targetUserId: person.id });
      return;
    }
    detach(person, key);
    out.placements.set(key, { result: 'split', targetUserId: create(source.emailKey, source).id });
  };
  let pending = [...moves].sort((a, b) => rank(a.source.scimSettingId).order - rank(b.source.scimSettingId).order);
  for (let progress = true; progress && pending.length; ) {
    const blocked: typeof pending = [];
    for (const m of pending) {
      const holder = byKey.get(m.source.emailKey);
      if (holder && holder !== m.person) blocked.push(m);
      else move(m);
    }
    progress = blocked.length < pending.length;
    pending = blocked;
  }
  for (const { person, source, before } of pending) {
    attach(person, atAddressOf(person, source, before));
    out.placements.set(keyOfSource(source), { result: 'conflict', reason: 'emailHeld', email: source.view.email ?? source.emailKey, heldBy: byKey.get(source.emailKey)!.id, targetUserId: person.id });
  }

  for (const change of arrivals) {
    const key = keyOfSource(change);
    const source = sourceOf(change, undefined);
    const holder = byKey.get(change.emailKey);
    if (!holder) {
      out.placements.set(key, { result: 'created', targetUserId: create(change.emailKey, source).id });
      continue;
    }
    if (holder.exclusion) {
      // Joins as a source, changing nothing it shows: nothing is taken over while excluded.
      attach(holder, source);
      out.placements.set(key, { result: 'excluded', targetUserId: holder.id });
      continue;
    }
    const consoleManaged = holder.sources.length === 0;
    if (consoleManaged && !rank(change.scimSettingId).takeOverExisting) {
      out.placements.set(key, { result: 'conflict', reason: 'takeOverOff', email: change.view.email ?? change.emailKey, heldBy: holder.id, targetUserId: null });
      continue;
    }
    attach(holder, source);
    out.placements.set(key, { result: consoleManaged ? 'tookOver' : 'joined', targetUserId: holder.id });
  }

  for (const id of [...out.created, ...out.changed]) {
    const person = people.get(id);
    if (person) Object.assign(person, derivePerson(person, rank));
  }
  // A person that comes out as it went in is not written (a re-sync re-derives everyone).
  const before = new Map(read.map((p) => [p.id, fingerprint(p)] as const));
  for (const id of out.changed) if (before.get(id) === fingerprint(people.get(id)!)) out.changed.delete(id);
  return out;
}

/** A source kept at its person's address although its SCIM user moved: the address, and the e-mail it showed, as before. */
const atAddressOf = (person: PersonState, source: SourceState, before: SourceState): SourceState => ({ ...source, emailKey: person.emailKey, view: { ...source.view, email: before.view.email } });

/** What a person's write would store, but for the time each source was last synced; keys sorted, so read and derived compare alike. */
const fingerprint = (person: PersonState) =>
  JSON.stringify({ ...person, sources: person.sources.map((s) => ({ ...s, lastSyncedAt: undefined })) }, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );

/**
 * What a person shows, from its sources: the fields of the first active source in the company's
 * order of SCIM settings (none active: of the last to leave, whose status it takes too); the
 * groups an admin added plus those of its active sources (none active: of every source, since an
 * inactive user keeps its groups, `decideGroups`); active while any source is. No sources: what
 * an admin typed, unchanged. Excluded from SCIM management: what it showed when excluded, or an
 * admin typed since, and the groups an admin added plus those its sources gave it then.
 */
export function derivePerson(person: PersonState, rank: (settingId: string) => { order: number }): Pick<PersonState, 'shown' | 'sync' | 'fieldSource'> {
  if (person.exclusion) {
    // The source whose fields it showed stays named: its manager is looked up among that setting's people.
    return { shown: { ...person.shown, groupIds: sorted([...person.manualGroupIds, ...person.exclusion.groupIds]) }, sync: person.sync, fieldSource: person.fieldSource };
  }
  if (person.sources.length === 0) {
    return { shown: { ...person.shown, groupIds: sorted(person.manualGroupIds) }, sync: person.sync, fieldSource: null };
  }
  const byOrder = [...person.sources].sort((a, b) => rank(a.scimSettingId).order - rank(b.scimSettingId).order || a.createdAt - b.createdAt);
  const active = byOrder.filter((s) => s.view.status === 'active');
  const lastToLeave = [...person.sources].sort((a, b) => (b.deprovisionedAt ?? 0) - (a.deprovisionedAt ?? 0))[0]!;
  const fieldSource = active[0] ?? lastToLeave;
  const groupIds = sorted([...person.manualGroupIds, ...sourceGroupIds(person.sources)]);
  return {
    shown: { ...fieldSource.view, status: active.length ? 'active' : lastToLeave.view.status, groupIds },
    sync: { version: fieldSource.version, rulesVersion: fieldSource.rulesVersion },
    fieldSource: { scimSettingId: fieldSource.scimSettingId, scimUserId: fieldSource.scimUserId },
  };
}

/** The groups a person's sources give it: those of its active sources, or of every source when none is active (an inactive user keeps its groups). */
export function sourceGroupIds(sources: SourceState[]): string[] {
  const active = sources.filter((s) => s.view.status === 'active');
  return sorted((active.length ? active : sources).flatMap((s) => s.view.groupIds));
}

const sorted = (ids: string[]) => [...new Set(ids)].sort();

const clone = (person: PersonState): PersonState => ({ ...person, sources: [...person.sources], manualGroupIds: [...person.manualGroupIds] });
