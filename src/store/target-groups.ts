import { Types } from 'mongoose';
import type { Models } from '../models';
import { idpKey, nameKey } from '../models/target-group';
import type { Tenant } from './tenant';
import { onlyDuplicateKeys } from './mongo-errors';

/**
 * Target groups (src/models/target-group.ts) as projections keep them: group-by groups found or
 * made by name (shared with manual groups of that name), mirrored IdP groups under the id their
 * SCIM group allocated; and as the console reads them. Every method takes the company (a Tenant
 * where a SCIM setting's groups are meant, the companies a console page shows for its lists) and
 * filters by it. Manual groups are written by the console's AdminJS resource
 * (admin/resources/target-groups.ts).
 */
export const targetGroups = {
  /** Ids of the groups these group-by names name, made once where missing (the unique key lets one insert win). */
  async ensureByName(models: Models, tenant: Tenant, names: string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(names)];
    const ids = new Map<string, string>();
    if (wanted.length === 0) return ids;
    const collection = models.TargetGroup.collection;
    const read = async (missing: string[]) => {
      const docs = await collection.find({ companyId: tenant.companyId, key: { $in: missing.map(nameKey) } }, { projection: { key: 1 } }).toArray();
      for (const doc of docs) ids.set(String(doc.key).slice('name:'.length), doc._id.toHexString());
    };
    await read(wanted);
    const missing = wanted.filter((name) => !ids.has(name));
    if (missing.length) {
      const now = new Date();
      await collection
        .insertMany(
          missing.map((name) => ({ companyId: tenant.companyId, name, key: nameKey(name), source: 'groupBy', scimSettingId: tenant.scimSettingId, scimGroupId: null, createdAt: now, updatedAt: now })) as never[],
          { ordered: false },
        )
        .catch((err: unknown) => {
          // Another setting of the company made some of them first: read those.
          if (!onlyDuplicateKeys(err)) throw err;
        });
      await read(missing);
    }
    return ids;
  },

  /** The chosen group of a setting, if it still exists (an admin may have deleted it). */
  async exists(models: Models, tenant: Tenant, id: Types.ObjectId): Promise<boolean> {
    return (await models.TargetGroup.collection.countDocuments({ _id: id, companyId: tenant.companyId }, { limit: 1 })) > 0;
  },

  /** Creates or renames the mirror of a SCIM group; says what changed. */
  async mirror(models: Models, tenant: Tenant, group: { id: string; targetGroupId: Types.ObjectId; name: string }): Promise<'created' | 'name' | null> {
    const collection = models.TargetGroup.collection;
    const existing = await collection.findOne({ _id: group.targetGroupId }, { projection: { name: 1 } });
    const now = new Date();
    if (!existing) {
      await collection.insertOne({
        _id: group.targetGroupId,
        companyId: tenant.companyId,
        name: group.name,
        key: idpKey(tenant.scimSettingId.toHexString(), group.id),
        source: 'idp',
        scimSettingId: tenant.scimSettingId,
        scimGroupId: group.id,
        createdAt: now,
        updatedAt: now,
      } as never);
      return 'created';
    }
    if (existing.name === group.name) return null;
    await collection.updateOne({ _id: group.targetGroupId, companyId: tenant.companyId }, { $set: { name: group.name, updatedAt: now } });
    return 'name';
  },

  /**
   * The SCIM users, per setting, whose own rules put their target users in a group of the
   * company: after an admin deleted the group, their projections must run again (the company's
   * projection is the only writer of its people).
   */
  async membersBySetting(models: Models, companyId: Types.ObjectId, targetGroupId: Types.ObjectId): Promise<Array<{ tenant: Tenant; scimUserIds: string[] }>> {
    const docs = await models.TargetUser.collection.find({ companyId, groupIds: targetGroupId }, { projection: { sources: 1 } }).toArray();
    const bySetting = new Map<string, { tenant: Tenant; scimUserIds: string[] }>();
    for (const source of docs.flatMap((doc) => (doc.sources ?? []) as Array<{ scimSettingId: Types.ObjectId; scimUserId: string; view?: { groupIds?: Types.ObjectId[] } }>)) {
      if (!(source.view?.groupIds ?? []).some((id) => id.equals(targetGroupId))) continue;
      const entry = bySetting.get(source.scimSettingId.toHexString()) ?? { tenant: { companyId, scimSettingId: source.scimSettingId }, scimUserIds: [] };
      entry.scimUserIds.push(String(source.scimUserId));
      bySetting.set(source.scimSettingId.toHexString(), entry);
    }
    return [...bySetting.values()];
  },

  async removeMirror(models: Models, tenant: Tenant, targetGroupId: Types.ObjectId): Promise<boolean> {
    const removed = await models.TargetGroup.collection.deleteOne({ _id: targetGroupId, companyId: tenant.companyId, source: 'idp' });
    return removed.deletedCount > 0;
  },

  /** The company's groups by name (the first 2,000): the SCIM setting form's choices. */
  async ofCompany(models: Models, companyId: Types.ObjectId) {
    return models.TargetGroup.find({ companyId }).sort({ name: 1 }).limit(2000).lean();
  },

  async nameOf(models: Models, companyId: Types.ObjectId, id: Types.ObjectId): Promise<string | null> {
    return (await models.TargetGroup.findOne({ _id: id, companyId }, { name: 1 }).lean())?.name ?? null;
  },

  /** The company's manual or group-by group of this name, if there is one. */
  async named(models: Models, companyId: Types.ObjectId, name: string) {
    return models.TargetGroup.findOne({ companyId, key: nameKey(name) }, { _id: 1 }).lean();
  },

  /** Whether the group is still there (a delete the console asked for may have been refused). */
  async stillThere(models: Models, companyId: Types.ObjectId, id: Types.ObjectId): Promise<boolean> {
    return (await models.TargetGroup.exists({ _id: id, companyId })) !== null;
  },

  /** How many groups the setting made (group by, mirrored). */
  async countMadeBy(models: Models, tenant: Tenant): Promise<number> {
    return models.TargetGroup.countDocuments({ scimSettingId: tenant.scimSettingId });
  },

  /** Groups by id, of the companies a console page shows. */
  async byIds(models: Models, companyIds: Types.ObjectId[], ids: Types.ObjectId[]) {
    return models.TargetGroup.find({ companyId: { $in: companyIds }, _id: { $in: ids } }, { name: 1, source: 1, companyId: 1, scimSettingId: 1 }).lean();
  },

  /** The groups of these companies that have one of these names: whether a mirrored group shares its name. */
  async sameNamed(models: Models, companyIds: Types.ObjectId[], names: string[]) {
    return models.TargetGroup.find({ companyId: { $in: companyIds }, name: { $in: names } }, { companyId: 1, name: 1 }).lean();
  },
};
