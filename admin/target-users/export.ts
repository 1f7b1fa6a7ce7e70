import type { Response } from 'express';
import { Types } from 'mongoose';
import { READS_ONLY } from '../adminjs/action-methods';
import type { ActionContext, ActionRequest, Filter, RecordJSON } from '../adminjs/esm';
import type { ScopedResourceClass } from '../adminjs/scoped-resource';
import { customFields } from '../../src/store/custom-fields';
import { ALL_COMPANIES } from '../../src/store/tenant';
import { companyScope } from '../auth/console-admin';
import { consoleAdmin, type ConsoleAction, type ResourceSetup } from '../resources/common';
import { csvLines } from './csv';
import { addReadableValues } from './readable-values';

type Params = Record<string, unknown>;
type Scoped = InstanceType<ScopedResourceClass>;

const COLUMNS = ['E-mail', 'First name', 'Last name', 'Department', 'Title', 'Phone', 'Manager', 'Groups', 'Status', 'Sources'];
const CUSTOM = 'customFields.';

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** A person's row; custom field values in the columns named like their fields. */
function rowOf(params: Params, fieldColumns: string[], fieldName: (companyId: string, key: string) => string | undefined): string[] {
  const manager = params.managerTargetUserId ? [params.managerName, params.managerEmail ? `<${String(params.managerEmail)}>` : ''].filter(Boolean).join(' ') : params.manager;
  const custom = new Map(
    Object.entries(params)
      .filter(([path]) => path.startsWith(CUSTOM))
      .map(([path, value]) => [fieldName(String(params.companyId), path.slice(CUSTOM.length)) ?? path.slice(CUSTOM.length), text(value)]),
  );
  return [params.email, params.firstName, params.lastName, params.department, params.title, params.phoneNumber, manager, params.groupNames, params.status, params.sourceNames]
    .map(text)
    .concat(fieldColumns.map((name) => custom.get(name) ?? ''));
}

/**
 * Export: the target users list with its filters, search and order as a CSV file (what admins
 * hand to auditors), streamed by the action's handler straight to the response in chunks read
 * with one cursor, so a large company is never held in memory. The records come through the
 * resource itself, so the export is the list exactly, company scope included; each chunk gets
 * the list's readable values (groups by name, sources, the manager found). It only reads, so
 * it runs on GET: the download is a plain link.
 */
export function exportAction({ m, models, components }: ResourceSetup): ConsoleAction {
  return {
    actionType: 'resource',
    icon: 'Download',
    component: components.ExportTargetUsers,
    custom: { ...READS_ONLY, withListQuery: true },
    handler: async (request: ActionRequest, response: Response, context: ActionContext) => {
      const query = m.adminjs.flat.unflatten<Params, { filters?: Params; sortBy?: string; direction?: 'asc' | 'desc' }>(request.query ?? {});
      const filter = new m.adminjs.Filter(query.filters ?? {}, context.resource) as Filter;
      const sort = { sortBy: query.sortBy ?? 'email', direction: query.direction ?? 'asc' };
      const scope = companyScope(consoleAdmin(context));
      const named = String((query.filters ?? {}).companyId ?? '');
      const fieldCompany = scope ?? (Types.ObjectId.isValid(named) ? new Types.ObjectId(named) : ALL_COMPANIES);
      const fields = await customFields.forExport(models, fieldCompany);
      const nameOf = new Map(fields.map((f) => [`${f.companyId.toHexString()}:${f.key}`, f.name]));
      const fieldColumns = [...new Set(fields.map((f) => f.name))];
      const day = new Date().toISOString().slice(0, 10);
      response.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="target-users-${day}.csv"` });
      // The byte-order mark makes spreadsheets read the file as UTF-8.
      response.write(`\uFEFF${csvLines([[...COLUMNS, ...fieldColumns]])}`);
      try {
        for await (const chunk of (context.resource as unknown as Scoped).scan(filter, sort)) {
          const records = chunk.map((doc) => ({ params: m.adminjs.flat.flatten<Params, Params>(doc) }) as RecordJSON);
          await addReadableValues(m, models, records);
          response.write(csvLines(records.map((r) => rowOf(r.params, fieldColumns, (companyId, key) => nameOf.get(`${companyId}:${key}`)))));
        }
      } catch (err) {
        // Cut off, not ended: a file that stops short must not pass for the whole list.
        response.destroy();
        throw err;
      }
      response.end();
    },
  };
}
