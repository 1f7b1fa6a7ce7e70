import type { Types } from 'mongoose';

/** Who is asking: resolved from the bearer token, and part of every store query. */
export interface Tenant {
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
}

export const tenantFilter = (tenant: Tenant) => ({ scimSettingId: tenant.scimSettingId });
