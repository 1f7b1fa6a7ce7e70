import type { Types } from 'mongoose';
import type { Models } from '../models';
import { customFieldNameKey } from '../models/custom-field';
import { companyScopeFilter, type CompanyScope } from './tenant';

/**
 * A company's custom fields (src/models/custom-field.ts), as the console and the projection read
 * them. Every method takes the company (the companies a console page shows, or a CompanyScope)
 * and filters by it. The console's AdminJS resource writes them (admin/resources/custom-fields.ts).
 */
export const customFields = {
  /** The company's fields by name: the SCIM setting form's choices. */
  async ofCompany(models: Models, companyId: Types.ObjectId) {
    return models.CustomField.find({ companyId }).sort({ name: 1 }).lean();
  },

  async namesOfCompany(models: Models, companyId: Types.ObjectId) {
    return models.CustomField.find({ companyId }, { name: 1 }).lean();
  },

  /** The keys the company's fields keep their values under. */
  async keysOfCompany(models: Models, companyId: Types.ObjectId): Promise<Set<string>> {
    return new Set((await models.CustomField.find({ companyId }, { key: 1 }).lean()).map((f) => f.key));
  },

  /** The company's field of this name, in any case; its name key holds the company id. */
  async named(models: Models, companyId: Types.ObjectId, name: string) {
    return models.CustomField.findOne({ nameKey: customFieldNameKey(companyId, name) }, { _id: 1 }).lean();
  },

  /** The fields of the companies a console page shows, to name their keys. */
  async ofCompanies(models: Models, companyIds: Types.ObjectId[]) {
    return models.CustomField.find({ companyId: { $in: companyIds } }, { companyId: 1, key: 1, name: 1 }).lean();
  },

  /** The fields "Custom field value" looks in: the admin's company's, or every company's for a platform admin. */
  async forValueSearch(models: Models, scope: CompanyScope) {
    return models.CustomField.find(companyScopeFilter(scope), { key: 1, name: 1 }).lean();
  },

  /** The export's columns, by name: the chosen company's fields, or every company's. */
  async forExport(models: Models, scope: CompanyScope) {
    return models.CustomField.find(companyScopeFilter(scope), { companyId: 1, key: 1, name: 1 }).sort({ name: 1 }).lean();
  },

  /** These fields of the company as stored: a SCIM setting's mappings resolved to keys (workers/projection/setting-rules.ts). */
  async byIds(models: Models, companyId: Types.ObjectId, ids: Types.ObjectId[]) {
    return models.CustomField.collection.find({ _id: { $in: ids }, companyId }).toArray();
  },
};
