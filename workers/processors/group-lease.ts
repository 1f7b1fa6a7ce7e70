import type { Models } from '../../src/models';
import { releaseLock, tryLock } from '../../src/store/write-lock';

/** Long enough for a 10,000-member projection; short enough that a killed worker's lease lapses soon. */
export const LEASE_MS = 120_000;

export class LeaseBusyError extends Error {}

const leaseKey = (scimSettingId: string) => `lease:${scimSettingId}`;

/**
 * One group projection at a time per SCIM setting. A projection changes many target users;
 * two of the same group interleaving could leave an older membership last, and two groups
 * sharing members would both rewrite those users, which FerretDB v1 does without isolation
 * (an update is read, change, write back), so one could undo the other. A lease, not a lock
 * held for ever, so a worker killed mid-job blocks the setting's groups only until the lease
 * runs out. It is a record of its own, not a field of the SCIM group, so taking it never
 * races with the intake's writes.
 */
export async function acquireGroupLease(models: Models, scimSettingId: string, owner: string): Promise<void> {
  if (!(await tryLock(models, leaseKey(scimSettingId), owner, LEASE_MS))) {
    throw new LeaseBusyError(`SCIM setting ${scimSettingId} has a group projection running`);
  }
}

export async function releaseGroupLease(models: Models, scimSettingId: string, owner: string): Promise<void> {
  await releaseLock(models, leaseKey(scimSettingId), owner);
}
