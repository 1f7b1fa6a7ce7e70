import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import { scimSettings } from '../../src/store/scim-settings';
import { targetUserReads } from '../../src/store/target-user-reads';
import { companyIdsOf } from '../resources/common';
import { formatTime } from '../pages/format';

type Params = Record<string, unknown>;

const hex = (id: unknown) => (id instanceof Types.ObjectId ? id.toHexString() : String(id));

/** One SCIM setting's claim on a person, as its page lists it. */
export interface SourceLine {
  settingId: string;
  setting: string;
  scimUserId: string;
  externalId: string | null;
  status: string | null;
  lastSyncedAt: string | null;
}

/** The manager a person's managerId names, found among the company's people. */
export interface ManagerFound {
  id: string;
  name: string;
  email: string | null;
}

const sourcesOf = (person: Params) => (Array.isArray(person.sources) ? (person.sources as Params[]) : []);
const viewOf = (source: Params) => (source.view && typeof source.view === 'object' ? (source.view as Params) : {});
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** SCIM settings' names by id, for the settings the people's sources name. */
export async function settingNames(models: Models, people: Params[]): Promise<Map<string, string>> {
  const ids = [...new Set(people.flatMap((p) => [...sourcesOf(p).map((s) => hex(s.scimSettingId)), ...(p.scimSettingId ? [hex(p.scimSettingId)] : [])]))].filter((id) => Types.ObjectId.isValid(id));
  if (ids.length === 0) return new Map();
  return scimSettings.names(models, companyIdsOf(people), ids.map((id) => new Types.ObjectId(id)));
}

/** When an admin excluded the person from SCIM management; null while SCIM manages it. */
function excludedAt(person: Params): Date | null {
  const exclusion = person.scimExclusion && typeof person.scimExclusion === 'object' ? (person.scimExclusion as Params) : null;
  if (!exclusion?.at) return null;
  return exclusion.at instanceof Date ? exclusion.at : new Date(String(exclusion.at));
}

const settingsOf = (person: Params, names: Map<string, string>) => [...new Set(sourcesOf(person).map((s) => hex(s.scimSettingId)))].map((id) => names.get(id) ?? id);

/**
 * "Console" for a person an admin added and no setting sends; else its settings' names; for a
 * person excluded from SCIM management "Excluded from SCIM", with the settings that still send it.
 */
export function sourceNamesOf(person: Params, names: Map<string, string>): string {
  const settings = settingsOf(person, names).join(', ');
  if (excludedAt(person)) return settings ? `Excluded from SCIM (${settings})` : 'Excluded from SCIM';
  return settings || 'Console';
}

/** What its page says about SCIM managing the person, and for one excluded, what that means. */
export function scimManagementOf(person: Params, names: Map<string, string>): string {
  const settings = settingsOf(person, names);
  const since = excludedAt(person);
  if (!since) return settings.length ? `Managed by SCIM: ${settings.join(', ')}.` : 'Not managed by SCIM: added by an admin.';
  const kept = `Excluded from SCIM management since ${formatTime(since)}: its fields, status and groups stay as they were, and are edited here.`;
  if (settings.length === 0) return `${kept} No SCIM setting sends it any more; a SCIM user at its address would join it without changing it.`;
  return `${kept} ${settings.join(', ')} still ${settings.length === 1 ? 'sends' : 'send'} it: what is sent is recorded under Sources, and shown once it is managed by SCIM again; a deactivation or deletion there changes nothing here.`;
}

/** Excluded from SCIM management, yet sent by a SCIM setting: its address stays the one its sources are recorded under. */
export const addressKeptOf = (person: Params): boolean => excludedAt(person) !== null && sourcesOf(person).length > 0;

export function sourceLinesOf(person: Params, names: Map<string, string>): SourceLine[] {
  return sourcesOf(person).map((s) => ({
    settingId: hex(s.scimSettingId),
    setting: names.get(hex(s.scimSettingId)) ?? hex(s.scimSettingId),
    scimUserId: String(s.scimUserId),
    externalId: text(viewOf(s).externalId),
    status: text(viewOf(s).status),
    lastSyncedAt: s.lastSyncedAt ? new Date(String(s.lastSyncedAt)).toISOString() : null,
  }));
}

/** The setting whose fields the person shows ("Managed by"), null while the console manages it (excluded from SCIM management too). */
export function managedByOf(person: Params, names: Map<string, string>): string | null {
  if (sourcesOf(person).length === 0 || !person.scimSettingId || excludedAt(person)) return null;
  return names.get(hex(person.scimSettingId)) ?? hex(person.scimSettingId);
}

const managerKey = (companyId: string, settingId: string, managerId: string) => `${companyId}|${settingId}|${managerId}`;

/**
 * The managers the people's `managerId`s name, in one query for them all: a person of the same
 * company with a source of the same SCIM setting (the one the person's fields come from, which
 * sent the managerId) whose SCIM id is that id, or, as OneLogin sends the manager's external id,
 * whose external id in that source is. Resolved when read, so it does not matter who arrived
 * first. Answers a look-up for each of those people (null: not found, shown as the text sent).
 */
export async function findManagers(models: Models, people: Params[]): Promise<(person: Params) => ManagerFound | null> {
  const asked = people.flatMap((p) => {
    const managerId = text(p.managerId);
    return managerId && p.scimSettingId && p.companyId ? [{ companyId: hex(p.companyId), settingId: hex(p.scimSettingId), managerId }] : [];
  });
  if (asked.length === 0) return () => null;
  const companyIds = [...new Set(asked.map((a) => a.companyId))].filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
  const candidates = await targetUserReads.managerCandidates(models, companyIds, asked.map((a) => `${a.settingId}:${a.managerId}`), [...new Set(asked.map((a) => a.managerId))]);
  const found = new Map<string, ManagerFound>();
  // A SCIM id match wins over an external id match: the bySource entries go in last.
  for (const bySource of [false, true]) {
    for (const candidate of candidates) {
      for (const source of sourcesOf(candidate)) {
        const id = bySource ? String(source.scimUserId) : text(viewOf(source).externalId);
        if (id === null) continue;
        const name = [candidate.firstName, candidate.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
        found.set(managerKey(hex(candidate.companyId), hex(source.scimSettingId), id), { id: String(candidate._id), name: name || String(candidate.email ?? candidate._id), email: text(candidate.email) });
      }
    }
  }
  return (person) => {
    const managerId = text(person.managerId);
    if (!managerId || !person.scimSettingId || !person.companyId) return null;
    return found.get(managerKey(hex(person.companyId), hex(person.scimSettingId), managerId)) ?? null;
  };
}
