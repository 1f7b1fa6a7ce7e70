import { Types } from 'mongoose';
import { customFieldNameKey } from '../../src/models/custom-field';
import { customFields } from '../../src/store/custom-fields';
import { scimSettings } from '../../src/store/scim-settings';
import type { ActionContext, ActionRequest, ResourceWithOptions } from '../adminjs/esm';
import { companyScope } from '../auth/console-admin';
import { companyField, consoleAdmin, NAVIGATION, type ResourceSetup } from './common';
import { customFieldKey } from './custom-field-key';

const DUPLICATE_NAME = 'This company already has a custom field with this name.';

/**
 * "Target Users > Settings > Edit Fields": a company's own columns. The key under which
 * target users keep a value is derived from the name once and never changes, so renaming a
 * field keeps its values.
 */
export function customFieldResource({ m, models, Scoped, audience }: ResourceSetup): ResourceWithOptions {
  const { ValidationError } = m.adminjs;

  /** The name, trimmed, and not one the company already has in any case ("Office" and "office" are one column to admins). */
  async function checkedName(value: unknown, companyId: Types.ObjectId, exceptId?: string): Promise<string> {
    const name = typeof value === 'string' ? value.trim() : '';
    if (name === '') throw new ValidationError({ name: { message: 'Enter a name for the custom field.' } });
    const clash = await customFields.named(models, companyId, name);
    if (clash && clash._id.toHexString() !== exceptId) throw new ValidationError({ name: { message: DUPLICATE_NAME } });
    return name;
  }

  async function assignKey(request: ActionRequest, context: ActionContext) {
    if (request.method !== 'post' || !request.payload) return request;
    const companyId = companyScope(consoleAdmin(context)) ?? (Types.ObjectId.isValid(String(request.payload.companyId)) ? new Types.ObjectId(String(request.payload.companyId)) : null);
    if (!companyId) throw new ValidationError({ companyId: { message: 'Choose the company.' } });
    const name = await checkedName(request.payload.name, companyId);
    const taken = await customFields.keysOfCompany(models, companyId);
    return { ...request, payload: { ...request.payload, name, key: customFieldKey(name, taken) } };
  }

  /**
   * The key is where target users keep the values: it never changes after creation. A new name
   * brings its name key along (an update runs no save hooks); the company never changes here.
   */
  async function renameKeepingKey(request: ActionRequest, context: ActionContext) {
    if (!request.payload) return request;
    const { key: _key, nameKey: _nameKey, ...payload } = request.payload;
    if (!('name' in payload) || !context.record) return { ...request, payload };
    const companyId = String(context.record.params.companyId);
    const name = await checkedName(payload.name, new Types.ObjectId(companyId), String(context.record.id()));
    return { ...request, payload: { ...payload, name, nameKey: customFieldNameKey(companyId, name) } };
  }

  /** The field's record, read within the admin's companies before the hook runs, names its company. */
  async function refuseIfUsed(request: ActionRequest, context: ActionContext) {
    if (!context.record) return request;
    const id = String(request.params.recordId);
    const usedBy = await scimSettings.usingCustomField(models, new Types.ObjectId(String(context.record.params.companyId)), id);
    if (usedBy) throw new ValidationError({}, { message: `SCIM setting "${usedBy.name}" maps to this field. Remove the mapping first.`, type: 'error' });
    return request;
  }

  return {
    resource: new Scoped(models.CustomField as never, { scopeField: 'companyId', duplicate: { path: 'name', message: DUPLICATE_NAME } }),
    options: {
      navigation: NAVIGATION.companySettings,
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'key', ...companyField(audience), 'createdAt'],
      showProperties: ['name', 'key', ...companyField(audience), 'createdAt', 'updatedAt'],
      editProperties: ['name', ...companyField(audience)],
      filterProperties: ['name', 'key', ...companyField(audience)],
      properties: {
        nameKey: { isVisible: false },
        name: { description: 'The column name admins see, e.g. "Office location". Map it from a SCIM attribute in a SCIM setting.' },
        companyId: { description: 'Set automatically for company admins.' },
      },
      actions: {
        new: { before: assignKey },
        edit: { before: renameKeepingKey },
        delete: { before: refuseIfUsed, guard: 'Delete this custom field? Target users lose its values.' },
        bulkDelete: { isAccessible: false, isVisible: false },
      },
    },
  };
}
