import type { Types } from 'mongoose';
import type { Models } from '../models';

/**
 * The companies themselves (src/models/company.ts), the tenants of everything else. A company's
 * own record is read by its id, which is the tenant; the platform-level functions below it read
 * or make companies before any one of them is chosen.
 */
export const companies = {
  /** The company as a document, for the console's pages about it; null when there is none. */
  async byId(models: Models, companyId: Types.ObjectId) {
    return models.Company.findById(companyId);
  },

  async nameOf(models: Models, companyId: Types.ObjectId): Promise<string | null> {
    return (await models.Company.findById(companyId, { name: 1 }).lean())?.name ?? null;
  },

  async exists(models: Models, companyId: Types.ObjectId): Promise<boolean> {
    return (await models.Company.exists({ _id: companyId })) !== null;
  },
};

/**
 * The company of this name, made if there is none. Platform-level, not tenant-scoped: the CLIs
 * (src/cli/create-scim-setting.ts, admin/cli/create-admin.ts) are run by an operator to set a
 * company up, before it has anything to scope.
 */
export async function companyNamedOrNew(models: Models, name: string) {
  return (await models.Company.findOne({ name })) ?? (await models.Company.create({ name }));
}

/**
 * Every company by name (the first 500), for a platform admin choosing the company of a new SCIM
 * setting. Platform-level, not tenant-scoped: only a platform admin, who sees every company, is
 * asked to choose (a company admin's setting is for the admin's own company).
 */
export async function companiesForPlatformAdmin(models: Models) {
  return models.Company.find().sort({ name: 1 }).limit(500).lean();
}
