import { Types } from 'mongoose';
import { ScimError } from '../../src/scim/errors';
import { companies } from '../../src/store/companies';
import { customFields } from '../../src/store/custom-fields';
import { scimSettings } from '../../src/store/scim-settings';
import { targetUserEdits, type EditResult } from '../../src/store/target-user-edits';
import type { ActionContext, ActionRequest, ActionResponse, BaseRecord, RecordJSON } from '../adminjs/esm';
import { companyScope } from '../auth/console-admin';
import { consoleAdmin, type ConsoleAction, type ResourceSetup } from '../resources/common';
import { changedManagedFields, readPersonForm, type FormErrors } from './person-form';

type Payload = Record<string, unknown>;

const BUSY = 'The target users of this company are being synchronised right now. Try again in a moment.';
const NOT_MANUAL = 'Choose manual target groups of this company only.';
const EMAIL_TAKEN = 'Another target user of this company has this e-mail address.';
const ADDRESS_KEPT = 'Its SCIM settings send this target user under this address: it stays while they do.';

/** Whether some SCIM setting sends the person: its params (flat) hold a source. */
export const hasScimSources = (record: BaseRecord | undefined): boolean => Boolean(record && Object.keys(record.params).some((path) => path.startsWith('sources.')));

/** Excluded from SCIM management: its params (flat) hold the exclusion's time. */
export const isExcludedRecord = (record: BaseRecord | undefined): boolean => Boolean(record && record.params['scimExclusion.at']);

/** Added by an admin and sent by no SCIM setting: its params (flat) say so. */
export function isConsoleManagedRecord(record: BaseRecord | undefined): boolean {
  if (!record) return false;
  return record.params.origin === 'console' && !hasScimSources(record);
}

/** Deleted here only when no SCIM setting sends it: added by an admin, or excluded and left by its sources. */
const isDeletableRecord = (record: BaseRecord | undefined): boolean => !hasScimSources(record) && (isConsoleManagedRecord(record) || isExcludedRecord(record));

/**
 * New, Edit and Delete of target users. Their handlers replace AdminJS's, which would write
 * through the adapter: every write goes through src/store/target-user-edits.ts, under the
 * company's lease. New and Edit keep AdminJS's forms (the fields' own components show a
 * SCIM-managed person's fields read-only; of one excluded from SCIM management, only the address
 * its SCIM settings send it under); a refusal answers the form with its errors, as AdminJS's own
 * validation does. Like every changing action, they act only on POST.
 */
export function personActions({ models }: ResourceSetup): Record<'new' | 'edit' | 'delete', ConsoleAction> {
  /** The form again, with what was typed and why it was refused. */
  function refused(context: ActionContext, payload: Payload, errors: FormErrors, message: string): ActionResponse {
    const json: Partial<RecordJSON> = context.record?.toJSON(context.currentAdmin) ?? {};
    return { record: { ...json, params: { ...json.params, ...payload }, populated: json.populated ?? {}, errors }, notice: { message, type: 'error' } };
  }

  const customFieldKeys = (companyId: Types.ObjectId) => customFields.keysOfCompany(models, companyId);

  /** The person's page after a save, with the record as saved. */
  async function saved(context: ActionContext, id: string, message: string): Promise<ActionResponse> {
    const record = await context.resource.findOne(id);
    const resourceId = context.resource.id();
    return { record: record?.toJSON(context.currentAdmin) ?? {}, redirectUrl: context.h.recordActionUrl({ resourceId, recordId: id, actionName: 'show' }), notice: { message, type: 'success' } };
  }

  /** What a refusal by the store means on the form; a lease held too long (ScimError) is a moment's wait. */
  async function answer(context: ActionContext, payload: Payload, write: () => Promise<EditResult>, success: string): Promise<ActionResponse> {
    let result: EditResult;
    try {
      result = await write();
    } catch (err) {
      if (err instanceof ScimError) return refused(context, payload, {}, BUSY);
      throw err;
    }
    switch (result.kind) {
      case 'saved':
        return saved(context, result.id, success);
      case 'emailTaken':
        return refused(context, payload, { email: { message: EMAIL_TAKEN } }, EMAIL_TAKEN);
      case 'notManualGroups':
        return refused(context, payload, { manualGroupIds: { message: NOT_MANUAL } }, NOT_MANUAL);
      case 'scimManaged':
        return refused(context, payload, {}, 'A SCIM setting now sends this target user: reload the page.');
      case 'notFound':
        return refused(context, payload, {}, 'This target user no longer exists.');
      case 'addressKept':
        return refused(context, payload, { email: { message: ADDRESS_KEPT } }, ADDRESS_KEPT);
    }
  }

  const notPosted = (context: ActionContext) => ({ record: context.record?.toJSON(context.currentAdmin) ?? {} });

  async function create(request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> {
    if (request.method !== 'post') return notPosted(context);
    const payload = request.payload ?? {};
    const named = String(payload.companyId ?? '');
    const companyId = companyScope(consoleAdmin(context)) ?? (Types.ObjectId.isValid(named) && (await companies.exists(models, new Types.ObjectId(named))) ? new Types.ObjectId(named) : null);
    if (!companyId) return refused(context, payload, { companyId: { message: 'Choose the company.' } }, 'Choose the company.');
    const form = readPersonForm(payload, await customFieldKeys(companyId));
    if (Object.keys(form.errors).length > 0) return refused(context, payload, form.errors, 'Check the highlighted fields.');
    return answer(context, payload, () => targetUserEdits.create(models, companyId, form.fields, form.manualGroupIds), 'Target user added.');
  }

  async function edit(request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> {
    const record = context.record;
    if (request.method !== 'post' || !record) return notPosted(context);
    const payload = request.payload ?? {};
    const companyId = new Types.ObjectId(String(record.params.companyId));
    const id = String(record.id());
    const form = readPersonForm(payload, await customFieldKeys(companyId));
    // A platform admin's form shows the company; a person does not move to another one.
    if (payload.companyId !== undefined && String(payload.companyId) !== companyId.toHexString()) {
      return refused(context, payload, { companyId: { message: 'A target user stays in its company.' } }, 'A target user stays in its company.');
    }
    if (!isConsoleManagedRecord(record) && !isExcludedRecord(record)) {
      // Only its manual groups are the console's; its fields come from its identity provider.
      const changed = changedManagedFields(payload, record.params);
      const settingId = String(record.params.scimSettingId);
      const settingName = Types.ObjectId.isValid(settingId) ? await scimSettings.nameOf(models, { companyId, scimSettingId: new Types.ObjectId(settingId) }) : null;
      const message = `Managed by ${settingName ?? 'a SCIM setting'}: change it in the identity provider.`;
      if (changed.length > 0) return refused(context, payload, Object.fromEntries(changed.map((path) => [path, { message }])), message);
      return answer(context, payload, () => targetUserEdits.setManualGroups(models, companyId, id, form.manualGroupIds), 'Target user saved.');
    }
    if (Object.keys(form.errors).length > 0) return refused(context, payload, form.errors, 'Check the highlighted fields.');
    return answer(context, payload, () => targetUserEdits.edit(models, companyId, id, form.fields, form.manualGroupIds), 'Target user saved.');
  }

  async function remove(request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> {
    const record = context.record;
    if (request.method !== 'post' || !record) return notPosted(context);
    const resourceId = context.resource.id();
    let result: EditResult;
    try {
      result = await targetUserEdits.remove(models, new Types.ObjectId(String(record.params.companyId)), String(record.id()));
    } catch (err) {
      if (err instanceof ScimError) return { record: record.toJSON(context.currentAdmin), notice: { message: BUSY, type: 'error' } };
      throw err;
    }
    if (result.kind !== 'saved') return { record: record.toJSON(context.currentAdmin), notice: { message: 'Only a target user no SCIM setting sends, added in the console or excluded from SCIM management, can be deleted here.', type: 'error' } };
    return { record: record.toJSON(context.currentAdmin), redirectUrl: context.h.resourceUrl({ resourceId }), notice: { message: 'Target user deleted.', type: 'success' } };
  }

  return {
    new: { handler: create },
    edit: { handler: edit },
    delete: {
      handler: remove,
      isAccessible: (context) => isDeletableRecord(context.record),
      guard: 'Delete this target user? It leaves its target groups too.',
    },
  };
}
