import type { ProjectionDueDoc } from '../../src/models/projection-due';

/** A write whose resource never appeared (the intake failed after recording it) is dropped after this long. */
export const ABANDONED_MS = 60_000;

const LABELS: Record<string, string> = { create: 'POST', replace: 'PUT', patch: 'PATCH', delete: 'DELETE', resync: 'RESYNC', group: 'GROUP MEMBERSHIP' };

/** The due records of one resource in a batch. */
export interface DueResource {
  resourceId: string;
  records: ProjectionDueDoc[];
  /** The newest write among them: its id names the activity line (a replay writes the same line). */
  latest: ProjectionDueDoc;
}

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
    latest: list.reduce((a, b) => (b.version > a.version || (b.version === a.version && b.createdAt > a.createdAt) ? b : a)),
  }));
}

/**
 * Which records a projection of `storedVersion` finishes: those for that version or an older
 * one, and those for any version (0: a re-sync, a group's member change; with the resource gone
 * there is nothing left to show). A record for a newer version names a write still landing,
 * unless it is abandoned.
 */
export function finishedBy(due: DueResource, storedVersion: number | null, now: number): { done: ProjectionDueDoc[]; waiting: ProjectionDueDoc[] } {
  const done: ProjectionDueDoc[] = [];
  const waiting: ProjectionDueDoc[] = [];
  for (const record of due.records) {
    const covered = record.version === 0 || (storedVersion !== null && record.version <= storedVersion);
    if (covered || now - record.createdAt.getTime() > ABANDONED_MS) done.push(record);
    else waiting.push(record);
  }
  return { done, waiting };
}

export const operationLabel = (due: DueResource, kind: 'User' | 'Group') => `${LABELS[due.latest.operation] ?? due.latest.operation.toUpperCase()} /${kind}s/${due.resourceId}`;

/** The re-syncs whose records are among the resource's: its activity line answers them (a re-sync's figures count these lines). */
export const resyncsOf = (due: DueResource): number[] => [...new Set(due.records.flatMap((r) => (r.resync ? [r.resync] : [])))];
