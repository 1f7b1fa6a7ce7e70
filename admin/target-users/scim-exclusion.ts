import { Types } from 'mongoose';
import type { PersonState } from '../../src/mapping/people';
import { ScimError } from '../../src/scim/errors';
import { wakeProjection } from '../../src/store/outbox';
import { projectionDue } from '../../src/store/projection-due';
import { targetUserEdits, type ExclusionResult } from '../../src/store/target-user-edits';
import { confirmFirst } from '../adminjs/action-methods';
import type { ActionContext, ActionRequest, ActionResponse, BaseRecord } from '../adminjs/esm';
import type { ConsoleAction, ResourceSetup } from '../resources/common';
import { hasScimSources, isExcludedRecord } from './person-actions';

const BUSY = 'The target users of this company are being synchronised right now. Try again in a moment.';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "Exclude from SCIM management" and "Manage by SCIM again" (README "Who is a target user"), on
 * a target user's page and list row, and for the people chosen on the list. Each shows what it
 * will do and asks first (the ScimExclusion component); the POST writes through
 * src/store/target-user-edits.ts under the company's lease. Offered on a person only where it
 * applies (some SCIM setting sends it); the bulk actions take any choice and leave the people it
 * does not apply to as they are, saying how many.
 */
export function scimExclusionActions(setup: ResourceSetup, values: (response: ActionResponse) => Promise<ActionResponse>): Record<string, ConsoleAction> {
  const { models, producer, logger, components } = setup;

  /**
   * People managed by SCIM again are handed to their settings' projections, as a deleted
   * target group hands over its members: a SCIM user that moved to another address while its
   * person was excluded is placed there now, by the projection's own rules.
   */
  async function handOver(companyId: Types.ObjectId, people: PersonState[], at: Date): Promise<void> {
    const bySetting = new Map<string, string[]>();
    for (const source of people.flatMap((p) => p.sources)) bySetting.set(source.scimSettingId, [...(bySetting.get(source.scimSettingId) ?? []), source.scimUserId]);
    for (const [settingId, scimUserIds] of bySetting) {
      const tenant = { companyId, scimSettingId: new Types.ObjectId(settingId) };
      const works = scimUserIds.map((resourceId) => ({ kind: 'User' as const, resourceId, version: 0, operation: 'include', requestId: null }));
      await projectionDue.recordMany(models, tenant, works, `included-${at.getTime()}`);
      await wakeProjection(producer, logger, tenant);
    }
  }

  /** Writes the chosen people company by company (a platform admin may choose across companies). */
  async function apply(records: BaseRecord[], excluded: boolean): Promise<ExclusionResult> {
    const byCompany = new Map<string, string[]>();
    for (const record of records) byCompany.set(String(record.params.companyId), [...(byCompany.get(String(record.params.companyId)) ?? []), String(record.id())]);
    const result: ExclusionResult = { changed: [], unchanged: [] };
    const at = new Date();
    for (const [company, ids] of byCompany) {
      const companyId = new Types.ObjectId(company);
      const done = await targetUserEdits.setScimExclusion(models, companyId, ids, excluded, at);
      result.changed.push(...done.changed);
      result.unchanged.push(...done.unchanged);
      if (!excluded && done.changed.length) await handOver(companyId, done.changed, at);
    }
    return result;
  }

  function saidDone(excluded: boolean, result: ExclusionResult): string {
    const done = `${plural(result.changed.length, 'target user', 'target users')} ${excluded ? 'excluded from SCIM management' : 'managed by SCIM again'}.`;
    if (result.unchanged.length === 0) return done;
    return `${done} ${plural(result.unchanged.length, 'was', 'were')} left as ${result.unchanged.length === 1 ? 'it was' : 'they were'}: ${excluded ? 'already excluded, or sent by no SCIM setting' : 'not excluded, or sent by no SCIM setting any more'}.`;
  }

  const readRecord = async (_request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => ({ record: context.record!.toJSON(context.currentAdmin) });

  function recordAction(excluded: boolean): ConsoleAction {
    const change = async (_request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const record = context.record!;
      const shown = { record: record.toJSON(context.currentAdmin) };
      let result: ExclusionResult;
      try {
        result = await apply([record], excluded);
      } catch (err) {
        if (err instanceof ScimError) return { ...shown, notice: { message: BUSY, type: 'error' } };
        throw err;
      }
      const saved = (await context.resource.findOne(String(record.id())))?.toJSON(context.currentAdmin) ?? shown.record;
      const url = context.h.recordActionUrl({ resourceId: context.resource.id(), recordId: String(record.id()), actionName: 'show' });
      if (result.changed.length === 0) return { record: saved, redirectUrl: url, notice: { message: saidDone(excluded, result), type: 'error' } };
      return { record: saved, redirectUrl: url, notice: { message: excluded ? 'Target user excluded from SCIM management.' : 'Target user managed by SCIM again.', type: 'success' } };
    };
    return {
      actionType: 'record',
      icon: excluded ? 'UserX' : 'UserCheck',
      component: components.ScimExclusion,
      isAccessible: (context) => hasScimSources(context.record) && isExcludedRecord(context.record) !== excluded,
      ...confirmFirst(readRecord, change, { exclude: excluded }),
      after: values,
    };
  }

  function bulkAction(excluded: boolean): ConsoleAction {
    const read = async (_request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => ({ records: (context.records ?? []).map((r) => r.toJSON(context.currentAdmin)) });
    const change = async (request: ActionRequest, response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const listed = { ...(await read(request, response, context)), redirectUrl: context.h.resourceUrl({ resourceId: context.resource.id() }) };
      try {
        const result = await apply(context.records ?? [], excluded);
        return { ...listed, notice: { message: saidDone(excluded, result), type: result.changed.length ? 'success' : 'error' } };
      } catch (err) {
        if (err instanceof ScimError) return { ...listed, notice: { message: BUSY, type: 'error' } };
        throw err;
      }
    };
    return {
      actionType: 'bulk',
      icon: excluded ? 'UserX' : 'UserCheck',
      component: components.ScimExclusion,
      ...confirmFirst(read, change, { exclude: excluded }),
      after: values,
    };
  }

  return {
    excludeFromScim: recordAction(true),
    manageByScim: recordAction(false),
    bulkExcludeFromScim: bulkAction(true),
    bulkManageByScim: bulkAction(false),
  };
}
