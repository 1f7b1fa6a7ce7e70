import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import { scimSettings } from '../../src/store/scim-settings';
import { targetGroups } from '../../src/store/target-groups';
import { companyIdsOf } from './common';

type Params = Record<string, unknown>;

const ids = (values: unknown[]) => [...new Set(values.map(String))].filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));

/**
 * How the console names target groups, wherever they appear (lists, a user's groups, group
 * filters). A group mirrored from an IdP keeps the IdP's exact name and exactly the IdP's
 * members, even when a manual or group-by group of the company has the same name: the two stay
 * separate groups, so nothing aimed at the company's own "Sales" changes because the IdP has a
 * "Sales" too. Where a name is shared, the mirrored group is shown with its SCIM setting's name,
 * "Sales (Entra ID)", so the two are never mistaken for each other. Also adds the setting's
 * name to every group a setting made.
 */
export async function presentTargetGroups(models: Models, records: Params[]): Promise<void> {
  for (const record of records) record.displayName = record.name;
  const made = records.filter((r) => r.scimSettingId);
  if (made.length === 0) return;
  const mirrored = made.filter((r) => r.source === 'idp');
  const [settingName, sameNamed] = await Promise.all([
    scimSettings.names(models, companyIdsOf(made), ids(made.map((r) => r.scimSettingId))),
    mirrored.length === 0 ? [] : targetGroups.sameNamed(models, ids(mirrored.map((r) => r.companyId)), [...new Set(mirrored.map((r) => String(r.name)))]),
  ]);
  for (const record of made) {
    record.settingName = settingName.get(String(record.scimSettingId)) ?? null;
    if (record.source !== 'idp') continue;
    const shared = sameNamed.some((g) => g._id.toHexString() !== String(record._id) && g.companyId.toHexString() === String(record.companyId) && g.name === record.name);
    if (shared) record.displayName = `${String(record.name)} (${String(record.settingName ?? 'identity provider')})`;
  }
}

export type SourceKind = 'groupBy' | 'idp' | 'manual';

/**
 * The source badge of a group: what made it (group by, mirrored from an IdP, or by hand), and in
 * addition the SCIM settings that chose it as their Group Name: "Manual · Group Name of Entra ID".
 * Being chosen does not change what made the group, nor what the console lets an admin do with it.
 */
export function sourceOf(params: Params, chosenBy: string[]): { kind: SourceKind; label: string } {
  const setting = typeof params.settingName === 'string' ? params.settingName : null;
  const made: { kind: SourceKind; label: string } =
    params.source === 'groupBy'
      ? { kind: 'groupBy', label: setting ? `Group by · ${setting}` : 'Group by' }
      : params.source === 'idp'
        ? { kind: 'idp', label: setting ? `Mirrored from ${setting}` : 'Mirrored from the IdP' }
        : { kind: 'manual', label: 'Manual' };
  return chosenBy.length > 0 ? { ...made, label: `${made.label} · Group Name of ${chosenBy.join(', ')}` } : made;
}
