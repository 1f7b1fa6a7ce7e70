import type { Models } from '../../src/models';
import type { ConflictReason } from '../../src/models/target-user-conflict';
import { targetUserConflicts } from '../../src/store/target-user-conflicts';
import { targetUserReads } from '../../src/store/target-user-reads';
import type { Tenant } from '../../src/store/tenant';

/** How many of a setting's conflicts its page lists (the count says how many there are). */
const SHOWN = 5;

export interface SettingConflicts {
  count: number;
  latest: Array<{
    scimUserId: string;
    email: string;
    reason: ConflictReason;
    at: Date;
    /** The target user holding the address, and its address, when it still exists. */
    heldBy: { id: string; email: string | null } | null;
  }>;
}

/** The SCIM users of a setting its projection could not place without merging two people: how many, and the latest few. */
export async function settingConflicts(models: Models, tenant: Tenant): Promise<SettingConflicts> {
  const { count, latest } = await targetUserConflicts.ofSetting(models, tenant, SHOWN);
  const emailOf = latest.length ? await targetUserReads.emails(models, tenant.companyId, latest.map((c) => c.heldBy)) : new Map<string, string | null>();
  return {
    count,
    latest: latest.map((c) => ({
      scimUserId: c.scimUserId,
      email: c.email,
      reason: c.reason,
      at: c.at,
      heldBy: emailOf.has(c.heldBy) ? { id: c.heldBy, email: emailOf.get(c.heldBy) ?? null } : null,
    })),
  };
}
