import type { Types } from 'mongoose';

/**
 * The tenants of the store. Every repository method takes one as a required parameter and puts
 * it in its filter:
 * - a `Tenant` where a SCIM setting is involved (its SCIM users and groups, due work, re-syncs,
 *   sync activity, conflicts, token use);
 * - a company id (`Types.ObjectId`) for company-level data (custom fields, target users and
 *   groups, the company's SCIM settings);
 * - a `CompanyScope` where a console page reads for whoever is signed in, which for a platform
 *   admin is every company, said so explicitly (`ALL_COMPANIES`).
 * The few platform-level reads and writes that precede or stand above any tenant (console
 * logins, the list of companies, the token lookup by prefix, start-up conversions) are functions
 * of their own, each saying in its doc comment why it is not tenant-scoped.
 */

/** Who is asking: resolved from the bearer token, and part of every store query. */
export interface Tenant {
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
}

export const tenantFilter = (tenant: Tenant) => ({ scimSettingId: tenant.scimSettingId });

/**
 * Every company: what a platform admin's console reads. A value of its own rather than a missing
 * company id, so that reading across companies is written out, never the result of a forgotten
 * parameter.
 */
export const ALL_COMPANIES = Symbol('all companies');

/** The companies a console read covers: one company (a company admin's), or ALL_COMPANIES (a platform admin's). */
export type CompanyScope = Types.ObjectId | typeof ALL_COMPANIES;

/** The filter of a CompanyScope: `{ companyId }`, or nothing for every company. */
export const companyScopeFilter = (scope: CompanyScope): { companyId?: Types.ObjectId } => (scope === ALL_COMPANIES ? {} : { companyId: scope });
