import { createHash } from 'node:crypto';
import { emailKeyOf } from '../../mapping/address';
import { derivePerson, keyOfSource, type PersonState, type SettingRank, type SourceState } from '../../mapping/people';
import type { TargetUserView } from '../../mapping/project-user';

/**
 * A target user as the code before people wrote it: one per SCIM setting and SCIM user, its
 * `_id` `<scimSettingId>:<scimUserId>` (the source key it becomes). Times in ms.
 */
export interface OldTargetUser {
  id: string;
  scimSettingId: string;
  scimUserId: string;
  /** Its fields, status and groups, as its setting's rules projected them (no managerId then). */
  view: TargetUserView;
  version: number;
  rulesVersion: number;
  lastSyncedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface PlannedPerson {
  person: PersonState;
  /** The old target users it is made of: deleted once it is written. */
  from: OldTargetUser[];
  /** A person already there that they join (written back whole), rather than a new one (inserted). */
  joined: boolean;
}

export interface PeoplePlan {
  people: PlannedPerson[];
  /** Old target users whose SCIM user a person already holds (an earlier run wrote it and stopped before deleting them): deleted only. */
  alreadyConverted: string[];
}

/**
 * The id of the person made of old target users: derived from the smallest of their ids, so a
 * rerun after a crash computes the same one and its insert is a duplicate; shaped like the ids
 * projections give (ObjectId hex).
 */
export const personIdOf = (oldTargetUserId: string) => createHash('sha256').update(`person of ${oldTargetUserId}`).digest('hex').slice(0, 24);

/** An old target user as a source: deprovisioned when it was last written, unless active. */
export function sourceOf(old: OldTargetUser): SourceState {
  return {
    scimSettingId: old.scimSettingId,
    scimUserId: old.scimUserId,
    emailKey: emailKeyOf(old.view, old.scimSettingId, old.scimUserId),
    view: old.view,
    version: old.version,
    rulesVersion: old.rulesVersion,
    deprovisionedAt: old.view.status === 'active' ? null : old.updatedAt,
    lastSyncedAt: old.lastSyncedAt,
    createdAt: old.createdAt,
  };
}

/**
 * One company's old target users as people: those with one person key (src/mapping/address.ts)
 * become one person, joining the person already holding that key if there is one; what it shows
 * is derived by the identity rules (`derivePerson`) in the company's order of SCIM settings. A
 * person keeps the oldest creation time among its parts. Pure; the order of the result follows
 * the old ids, so reruns write the same.
 */
export function planPeople(old: OldTargetUser[], people: PersonState[], ranks: ReadonlyMap<string, SettingRank>): PeoplePlan {
  const rank = (settingId: string) => ranks.get(settingId) ?? { order: Number.MAX_SAFE_INTEGER };
  const held = new Set(people.flatMap((p) => p.sources.map(keyOfSource)));
  const byKey = new Map(people.map((p) => [p.emailKey, p] as const));
  const plan: PeoplePlan = { people: [], alreadyConverted: [] };
  const groups = new Map<string, Array<{ old: OldTargetUser; source: SourceState }>>();
  for (const o of [...old].sort((a, b) => compare(a.id, b.id))) {
    const source = sourceOf(o);
    if (held.has(keyOfSource(source))) {
      plan.alreadyConverted.push(o.id);
      continue;
    }
    const group = groups.get(source.emailKey) ?? [];
    group.push({ old: o, source });
    groups.set(source.emailKey, group);
  }
  for (const [emailKey, group] of groups) {
    const existing = byKey.get(emailKey);
    const sources = group.map((g) => g.source);
    const person: PersonState = existing
      ? { ...existing, sources: [...existing.sources, ...sources], manualGroupIds: [...existing.manualGroupIds], createdAt: Math.min(existing.createdAt, ...sources.map((s) => s.createdAt)) }
      : {
          id: personIdOf(group[0]!.old.id),
          emailKey,
          origin: 'scim',
          shown: sources[0]!.view,
          manualGroupIds: [],
          sources,
          fieldSource: null,
          sync: { version: 0, rulesVersion: 0 },
          createdAt: Math.min(...sources.map((s) => s.createdAt)),
        };
    Object.assign(person, derivePerson(person, rank));
    plan.people.push({ person, from: group.map((g) => g.old), joined: existing !== undefined });
  }
  return plan;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
