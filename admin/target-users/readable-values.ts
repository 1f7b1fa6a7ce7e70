import { Types } from 'mongoose';
import type { Models } from '../../src/models';
import { customFields } from '../../src/store/custom-fields';
import { targetGroups } from '../../src/store/target-groups';
import type { AdminJSModules, RecordJSON } from '../adminjs/esm';
import { companyIdsOf } from '../resources/common';
import { presentTargetGroups } from '../resources/target-group-names';
import { addressKeptOf, findManagers, managedByOf, scimManagementOf, settingNames, sourceLinesOf, sourceNamesOf } from './people-view';

const CUSTOM = 'customFields.';
const GROUP = /^groupIds\.\d+$/;
const MANUAL_GROUP = /^manualGroupIds\.\d+$/;

const idsAt = (params: Record<string, unknown>, path: RegExp) => Object.entries(params).filter(([key]) => path.test(key)).map(([, id]) => String(id));

/**
 * What a target user's list row and page show besides its stored fields: custom field values
 * under their names ("Office: Berlin"), the name as one line, the groups by name (AdminJS would
 * print a map as nothing and an array of references as "Length: 2"), its sources ("Console", or
 * the SCIM settings that send it, or that it is excluded from SCIM management) and the setting
 * whose fields it shows, whether SCIM manages it, and its manager found
 * among the company's people. A fixed number of queries per page, never one per row.
 */
export async function addReadableValues(m: AdminJSModules, models: Models, records: RecordJSON[]): Promise<void> {
  const companyIds = companyIdsOf(records.map((r) => r.params));
  const groupIds = [...new Set(records.flatMap((r) => [...idsAt(r.params, GROUP), ...idsAt(r.params, MANUAL_GROUP)]))];
  const people = records.map((r) => m.adminjs.flat.unflatten<Record<string, unknown>, Record<string, unknown>>(r.params));
  const [fields, groups, names, managerOf] = await Promise.all([
    customFields.ofCompanies(models, companyIds),
    targetGroups.byIds(models, companyIds, groupIds.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id))),
    settingNames(models, people),
    findManagers(models, people),
  ]);
  const named = groups.map((g) => ({ ...g, _id: g._id.toHexString(), companyId: g.companyId.toHexString(), scimSettingId: g.scimSettingId?.toHexString() ?? null }) as Record<string, unknown>);
  await presentTargetGroups(models, named);
  const nameOf = new Map(fields.map((f) => [`${f.companyId.toHexString()}:${f.key}`, f.name]));
  const groupName = new Map(named.map((g) => [String(g._id), String(g.displayName)]));
  const groupNames = (ids: string[]) => ids.map((id) => groupName.get(id) ?? id).join(', ');
  records.forEach((record, i) => {
    const person = people[i]!;
    const { params } = record;
    params.fullName = [params.firstName, params.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
    params.groupNames = groupNames(idsAt(params, GROUP));
    params.manualGroupNames = groupNames(idsAt(params, MANUAL_GROUP));
    params.customFieldValues = Object.entries(params)
      .filter(([path, value]) => path.startsWith(CUSTOM) && value !== null && value !== '')
      .map(([path, value]) => `${nameOf.get(`${String(params.companyId)}:${path.slice(CUSTOM.length)}`) ?? path.slice(CUSTOM.length)}: ${String(value)}`)
      .join(' · ');
    params.sourceNames = sourceNamesOf(person, names);
    params.sourceLines = sourceLinesOf(person, names);
    params.managedBy = managedByOf(person, names);
    params.scimManagement = scimManagementOf(person, names);
    params.addressKept = addressKeptOf(person);
    const manager = managerOf(person);
    params.managerTargetUserId = manager?.id ?? null;
    params.managerName = manager?.name ?? null;
    params.managerEmail = manager?.email ?? null;
  });
}
