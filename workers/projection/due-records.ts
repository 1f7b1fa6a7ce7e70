import type { ProjectionDueDoc } from '../../src/models/projection-due';

/** A write whose resource never appeared (the intake failed after recording it) is dropped after this long. */
export const ABANDONED_MS = 60_000;

const LABELS: Record<string, string> = { create: 'POST', replace: 'PUT', patch: 'PATCH', delete: 'DELETE', resync: 'RESYNC', group: 'GROUP MEMBERSHIP', include: 'MANAGE BY SCIM AGAIN' };

/** The due records of one resource in a batch. */
export interface DueResource {
  resourceId: string;
  records: ProjectionDueDoc[];
  /** The newest write among them. */
  latest: ProjectionDueDoc;
}

const newest = (records: ProjectionDueDoc[]): ProjectionDueDoc | null =>
  records.reduce<ProjectionDueDoc | null>((a, b) => (a === null || b.version > a.version || (b.version === a.version && b.createdAt > a.createdAt) ? b : a), null);

export function byResource(records: ProjectionDueDoc[]): DueResource[] {
  const grouped = new Map<string, ProjectionDueDoc[]>();
  for (const record of records) {
    const list = grouped.get(record.resourceId);
    if (list) list.push(record);
    else grouped.set(record.resourceId, [record]);
  }
  return [...grouped].map(([resourceId, list]) => ({
    resourceId,
    records: list,
    latest: newest(list)!,
  }));
}

/**
 * Which records a projection of `storedVersion` finishes: those for that version or an older
 * one, and those for any version (0: a re-sync, a group's member change; with the resource gone
 * there is nothing left to show). A record for a newer version names a write still landing,
 * unless it is abandoned. `named` is the newest finished record: its id names the activity line,
 * so a replay writes the same line, and a write still landing gets a line of its own once it is
 * projected (naming the line after it now would show the older version under its name, and drop
 * its own line later as a duplicate). No record finished: no line.
 */
export function finishedBy(due: DueResource, storedVersion: number | null, now: number): { done: ProjectionDueDoc[]; waiting: ProjectionDueDoc[]; named: ProjectionDueDoc | null } {
  const done: ProjectionDueDoc[] = [];
  const waiting: ProjectionDueDoc[] = [];
  for (const record of due.records) {
    const covered = record.version === 0 || (storedVersion !== null && record.version <= storedVersion);
    if (covered || now - record.createdAt.getTime() > ABANDONED_MS) done.push(record);
    else waiting.push(record);
  }
  return { done, waiting, named: newest(done) };
}

/**
 * Whether a deleted resource's tombstone may go: only with the deletion's own record among those
 * finished. A batch can read the tombstone before the deletion's record was due to it; removing
 * the tombstone then would leave that record nothing to find, and it would wait as a write still
 * landing until it is abandoned.
 */
export const deletionFinished = (done: ProjectionDueDoc[], tombstoneVersion: number): boolean => done.some((record) => record.version >= tombstoneVersion);

export const operationLabel = (record: ProjectionDueDoc, kind: 'User' | 'Group') => `${LABELS[record.operation] ?? record.operation.toUpperCase()} /${kind}s/${record.resourceId}`;

/** The re-syncs whose records are among these: an activity line answers them (a re-sync's figures count these lines). */
export const resyncsOf = (records: ProjectionDueDoc[]): number[] => [...new Set(records.flatMap((r) => (r.resync ? [r.resync] : [])))];
