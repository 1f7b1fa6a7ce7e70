import { AsyncLocalStorage } from 'node:async_hooks';
import { Types } from 'mongoose';
import type { AdminRole } from '../../src/models/admin-user';
import { ALL_COMPANIES, type CompanyScope } from '../../src/store/tenant';

/**
 * The signed-in admin as the console passes it around (and AdminJS shows it): no secrets,
 * ids as strings so it survives the session store's JSON.
 */
export interface ConsoleAdmin {
  id: string;
  email: string;
  title: string;
  role: AdminRole;
  /** Null only for platform admins, who see every company. */
  companyId: string | null;
}

export function toConsoleAdmin(user: { _id: Types.ObjectId; email: string; role: AdminRole; companyId?: Types.ObjectId | null }): ConsoleAdmin {
  return {
    id: user._id.toHexString(),
    email: user.email,
    title: user.role === 'platformAdmin' ? 'Platform admin' : 'Company admin',
    role: user.role,
    companyId: user.companyId ? user.companyId.toHexString() : null,
  };
}

export const isPlatformAdmin = (admin: ConsoleAdmin | undefined | null): boolean => admin?.role === 'platformAdmin';

/**
 * The company an admin is confined to, or null for a platform admin. A company admin without
 * a company never gets a session (see authenticate.ts), so this never widens to "all".
 */
export function companyScope(admin: ConsoleAdmin): Types.ObjectId | null {
  if (admin.role === 'platformAdmin') return null;
  if (!admin.companyId) throw new Error('A company admin without a company has no scope');
  return new Types.ObjectId(admin.companyId);
}

/** The same scope as the store takes it (src/store/tenant.ts): every company is said outright. */
export const storeScope = (admin: ConsoleAdmin): CompanyScope => companyScope(admin) ?? ALL_COMPANIES;

/**
 * The admin of the request being served. AdminJS calls its resource adapters without the
 * request, so the data layer reads the admin from here to apply the company scope.
 */
const requestAdmin = new AsyncLocalStorage<ConsoleAdmin>();

export function runAsAdmin<T>(admin: ConsoleAdmin, fn: () => T): T {
  return requestAdmin.run(admin, fn);
}

/** Throws outside a signed-in request: a query without an admin must not see everything. */
export function requireRequestAdmin(): ConsoleAdmin {
  const admin = requestAdmin.getStore();
  if (!admin) throw new Error('Console data access outside a signed-in request');
  return admin;
}
