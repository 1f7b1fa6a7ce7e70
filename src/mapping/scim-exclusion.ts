import { derivePerson, sourceGroupIds, type PersonState } from './people';

/*
 * The console's two changes of a person's exclusion from SCIM management (README "Who is a target
 * user"); what an excluded person shows while its sources go on is derivePerson's and
 * placeSources' (./people.ts).
 */

/**
 * Excludes a person from SCIM management: it keeps what it shows, and the groups its sources give
 * it now; its sources go on being recorded. Only a person some SCIM setting sends is excluded.
 */
export function excludeFromScim(person: PersonState, now: number): PersonState {
  if (person.exclusion || person.sources.length === 0) return person;
  return { ...person, exclusion: { at: now, groupIds: sourceGroupIds(person.sources) } };
}

/** Manages an excluded person by SCIM again: derived from its sources at once, what an admin typed meanwhile giving way. */
export function manageByScimAgain(person: PersonState, rank: (settingId: string) => { order: number }): PersonState {
  // One whose sources all left has nothing to be derived from: it stays the console's.
  if (!person.exclusion || person.sources.length === 0) return person;
  const included = { ...person, exclusion: null };
  return { ...included, ...derivePerson(included, rank) };
}
