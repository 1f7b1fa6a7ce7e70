import type { Models } from '../../src/models';

/** Long enough for a 10,000-member projection; short enough that a killed worker's lease lapses soon. */
export const LEASE_MS = 120_000;

export class LeaseBusyError extends Error {}

/**
 * One group projection at a time per group: it changes many target users, and two of them
 * interleaving could leave an older membership last. A lease, not a lock, so a worker
 * killed mid-job blocks the group only until the lease runs out.
 */
export async function acquireGroupLease(models: Models, groupId: string, owner: string): Promise<void> {
  const now = new Date();
  const result = await models.ScimGroupResource.collection.updateOne(
    { _id: groupId as never, $or: [{ projectionLease: null }, { 'projectionLease.until': { $lt: now } }, { 'projectionLease.owner': owner }] },
    { $set: { projectionLease: { owner, until: new Date(now.getTime() + LEASE_MS) } } },
  );
  if (result.matchedCount === 0) {
    const exists = await models.ScimGroupResource.collection.countDocuments({ _id: groupId as never });
    if (exists) throw new LeaseBusyError(`group ${groupId} is being projected by another job`);
  }
}

export async function releaseGroupLease(models: Models, groupId: string, owner: string): Promise<void> {
  await models.ScimGroupResource.collection.updateOne({ _id: groupId as never, 'projectionLease.owner': owner }, { $set: { projectionLease: null } });
}
