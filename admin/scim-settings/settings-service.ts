import { Types } from 'mongoose';
import type { ProjectionRules } from '../../src/mapping/project-user';
import type { Models } from '../../src/models';
import type { ScimSetting } from '../../src/models/scim-setting';
import type { Producer } from '../../src/queue/producer';
import { createScimSetting } from '../../src/settings/scim-settings';
import { customFields } from '../../src/store/custom-fields';
import { scimSettings } from '../../src/store/scim-settings';
import { bySettingOrder } from '../../src/store/setting-ranks';
import { targetGroups } from '../../src/store/target-groups';
import type { Tenant } from '../../src/store/tenant';
import type { SettingRulesInput } from './setting-form';

const oid = (id: string | null) => (id ? new Types.ObjectId(id) : null);

/** A setting as the tenant of the store's methods. */
export const tenantOf = (setting: Pick<ScimSetting, '_id' | 'companyId'>): Tenant => ({ companyId: setting.companyId, scimSettingId: setting._id });

export function toRulesInput(setting: ScimSetting): SettingRulesInput {
  return {
    name: setting.name,
    fieldMappings: setting.fieldMappings.map((m) => ({ scimPath: m.scimPath, customFieldId: m.customFieldId.toHexString() })),
    targetGroupId: setting.targetGroupId?.toHexString() ?? null,
    groupingCriteria: setting.groupingCriteria,
    groupByCustomFieldId: setting.groupByCustomFieldId?.toHexString() ?? null,
    deletePolicy: setting.deletePolicy,
    takeOverExisting: setting.takeOverExisting,
    precedence: setting.precedence,
  };
}

function toModelFields(input: SettingRulesInput) {
  return {
    name: input.name,
    fieldMappings: input.fieldMappings.map((m) => ({ scimPath: m.scimPath, customFieldId: new Types.ObjectId(m.customFieldId) })),
    targetGroupId: oid(input.targetGroupId),
    groupingCriteria: input.groupingCriteria,
    groupByCustomFieldId: oid(input.groupByCustomFieldId),
    deletePolicy: input.deletePolicy,
    takeOverExisting: input.takeOverExisting,
    precedence: input.precedence,
  };
}

/**
 * The form's choices: the company's custom fields and target groups, by name, and its other
 * SCIM settings in the company's order (src/store/setting-ranks.ts), shown next to Field
 * precedence so the admin sees where a number puts this one.
 */
export async function formChoices(models: Models, companyId: Types.ObjectId, settingId?: Types.ObjectId) {
  const [fields, groups, settings] = await Promise.all([
    customFields.ofCompany(models, companyId),
    targetGroups.ofCompany(models, companyId),
    scimSettings.othersOfCompany(models, companyId, settingId),
  ]);
  return {
    customFields: fields.map((f) => ({ id: f._id.toHexString(), name: f.name, key: f.key })),
    targetGroups: groups.map((g) => ({ id: g._id.toHexString(), name: g.name, source: g.source })),
    otherSettings: settings.sort(bySettingOrder).map((s) => ({ name: String(s.name), precedence: Number(s.precedence ?? 1) })),
  };
}
export type FormChoices = Awaited<ReturnType<typeof formChoices>>;

/**
 * The rules on the form as projections apply them (workers/projection/setting-rules.ts): custom
 * fields by their keys, a field the company lacks mapping nothing; under the rules version
 * saving them would start.
 */
export function previewRules(input: SettingRulesInput, choices: FormChoices, rulesVersion: number): ProjectionRules {
  const keyOf = new Map(choices.customFields.map((f) => [f.id, f.key]));
  return {
    rulesVersion,
    fieldMappings: input.fieldMappings.flatMap((m) => {
      const key = keyOf.get(m.customFieldId);
      return key ? [{ scimPath: m.scimPath, customFieldKey: key }] : [];
    }),
    targetGroupId: input.targetGroupId,
    groupingCriteria: input.groupingCriteria,
    groupByCustomFieldKey: input.groupByCustomFieldId ? (keyOf.get(input.groupByCustomFieldId) ?? null) : null,
    deletePolicy: input.deletePolicy,
  };
}

export async function createSettingFromForm(models: Models, companyId: Types.ObjectId, input: SettingRulesInput) {
  return createScimSetting(models, { companyId, ...toModelFields(input) });
}

/** One re-sync job per rules version: asking twice for the same version queues it once. */
export const resyncJobId = (scimSettingId: string, rulesVersion: number) => `resync-setting-${scimSettingId}-r${rulesVersion}`;

/**
 * Queues the re-sync job of the setting's current rules. Should the queue be unreachable, the
 * rules stay saved and the re-sync page says no re-sync of them is recorded or queued (it reads
 * that from the store and the queue), so the admin can ask again.
 */
/** `requestId`: the console request that asked for it (src/http/request-id.ts), carried to the re-sync's sync activity. */
async function enqueueResync(producer: Producer, setting: { _id: Types.ObjectId; companyId: Types.ObjectId; rulesVersion: number }, requestId?: string): Promise<void> {
  const scimSettingId = setting._id.toHexString();
  await producer
    .enqueue(
      'maintenance',
      'resync-setting',
      { companyId: setting.companyId.toHexString(), scimSettingId, rulesVersion: setting.rulesVersion, ...(requestId === undefined ? {} : { requestId }) },
      { jobId: resyncJobId(scimSettingId, setting.rulesVersion) },
    )
    .catch(() => undefined);
}

/**
 * Saves an edit. When the rules changed, rulesVersion goes up in the same write, so every
 * target user projected before it is visibly behind, and the re-sync job is queued.
 */
export async function updateSettingFromForm(
  models: Models,
  producer: Producer,
  setting: ScimSetting,
  input: SettingRulesInput,
  rulesChanged: boolean,
  requestId?: string,
): Promise<void> {
  const tenant = tenantOf(setting);
  if (!rulesChanged) {
    await scimSettings.updateFields(models, tenant, toModelFields(input));
    return;
  }
  const saved = await scimSettings.updateFieldsAndRules(models, tenant, toModelFields(input));
  if (!saved) throw new Error('SCIM setting disappeared while saving');
  await enqueueResync(producer, saved, requestId);
}

/** "Re-sync": re-project every user of the setting under a new rules version. */
export async function startResync(models: Models, producer: Producer, setting: Pick<ScimSetting, '_id' | 'companyId'>, requestId?: string): Promise<void> {
  const saved = await scimSettings.nextRulesVersion(models, tenantOf(setting));
  if (!saved) throw new Error('SCIM setting disappeared while starting a re-sync');
  await enqueueResync(producer, saved, requestId);
}
