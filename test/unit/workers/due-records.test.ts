import { Types } from 'mongoose';
import { ABANDONED_MS, byResource, deletionFinished, finishedBy, resyncsOf } from '../../../workers/projection/due-records';
import type { ProjectionDueDoc } from '../../../src/models/projection-due';

const now = Date.parse('2026-11-29T12:00:00Z');
const record = (resourceId: string, version: number, ageMs = 0): ProjectionDueDoc => ({
  _id: `s:User:${resourceId}:${version}`,
  companyId: new Types.ObjectId(),
  scimSettingId: new Types.ObjectId(),
  kind: 'User',
  resourceId,
  version,
  operation: version === 0 ? 'resync' : 'patch',
  requestId: null,
  resync: version === 0 ? 2 : null,
  createdAt: new Date(now - ageMs),
  notBefore: new Date(now - ageMs),
  attempts: 0,
  lastError: null,
});

describe('due records of a batch', () => {
  it('groups records by resource and names the newest write', () => {
    const [a, b] = byResource([record('a', 1), record('b', 2), record('a', 3), record('a', 0)]);
    expect(a?.records).toHaveLength(3);
    expect(a?.latest.version).toBe(3);
    expect(b?.latest.version).toBe(2);
  });

  it('finishes the records of the projected version and older ones, and any-version ones', () => {
    const [due] = byResource([record('a', 1), record('a', 2), record('a', 3), record('a', 0)]);
    const { done, waiting, named } = finishedBy(due!, 2, now);
    expect(done.map((r) => r.version).sort()).toEqual([0, 1, 2]);
    expect(waiting.map((r) => r.version)).toEqual([3]);
    // The line is named after the newest write it shows, not the one still landing (which gets its own line later).
    expect(named?.version).toBe(2);
  });

  it('lets a tombstone go only with the deletion\'s own record finished', () => {
    // A batch that read the tombstone (version 3) holding only older or any-version records keeps it for the deletion's record.
    expect(deletionFinished([record('a', 1), record('a', 2), record('a', 0)], 3)).toBe(false);
    expect(deletionFinished([record('a', 2), record('a', 3)], 3)).toBe(true);
    expect(deletionFinished([], 3)).toBe(false);
  });

  it('names no line when every record waits for its write', () => {
    const [due] = byResource([record('a', 3)]);
    expect(finishedBy(due!, 2, now)).toMatchObject({ done: [], named: null });
  });

  it('keeps a record of a write still landing, and drops it once abandoned', () => {
    expect(finishedBy(byResource([record('a', 1)])[0]!, null, now).waiting).toHaveLength(1);
    expect(finishedBy(byResource([record('a', 1, ABANDONED_MS + 1)])[0]!, null, now).done).toHaveLength(1);
    expect(finishedBy(byResource([record('a', 0)])[0]!, null, now).done).toHaveLength(1);
  });

  it('names the re-syncs a resource’s records belong to, once each, for its activity line', () => {
    const [due] = byResource([record('a', 3), record('a', 0), { ...record('a', 0), resync: 4 }, { ...record('a', 0), resync: 4 }]);
    expect(resyncsOf(due!.records).sort()).toEqual([2, 4]);
    expect(resyncsOf(byResource([record('b', 1)])[0]!.records)).toEqual([]);
  });
});
