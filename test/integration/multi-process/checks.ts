import { isDeepStrictEqual } from 'node:util';
import type { Types } from 'mongoose';
import type { TestSystem } from '../../support/system';
import type { LogLine } from '../../support/product-processes';
import type { Idp, Traffic } from './traffic';

/** One projection batch as its worker logged it. */
export interface Batch {
  pid: number;
  scimSettingId: string;
  start: number;
  end: number;
}

/**
 * The `projection batch` lines of the worker processes. pino stamps `time` as the line is
 * written, right after the batch's last write, and `ms` is the batch's own duration: the batch
 * ran from `time − ms` to `time`, inside its lease (taken before, released after the line).
 */
export function batchesOf(lines: LogLine[]): Batch[] {
  return lines
    .filter((line) => line.msg === 'projection batch')
    .map((line) => {
      const end = Date.parse(line.time);
      return { pid: line.pid, scimSettingId: String(line.scimSettingId), start: end - Number(line.ms), end };
    });
}

/** Pairs of batches that ran at the same time: of one setting (anywhere), and of different settings in different processes. */
export function overlaps(batches: Batch[]): { sameSetting: Array<[Batch, Batch]>; otherSettingOtherProcess: number } {
  const sorted = [...batches].sort((a, b) => a.start - b.start);
  const sameSetting: Array<[Batch, Batch]> = [];
  let otherSettingOtherProcess = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.start < a.end; j += 1) {
      const b = sorted[j]!;
      if (a.scimSettingId === b.scimSettingId) sameSetting.push([a, b]);
      else if (a.pid !== b.pid) otherSettingOtherProcess += 1;
    }
  }
  return { sameSetting, otherSettingOtherProcess };
}

const hex = (id: Types.ObjectId) => id.toHexString();

/**
 * Where the target users and mirrored target groups differ from what the IdPs last wrote: one
 * target user per live SCIM user with its e-mail, department, status, groups and version, none
 * for a deleted one or for no SCIM user at all; one mirrored group per live SCIM group, named as
 * the IdP last named it. Empty when the projections have caught up.
 */
export async function differences(system: TestSystem, idps: Idp[], traffic: Traffic): Promise<string[]> {
  const found: string[] = [];
  const companyIds = [...new Map(idps.map((idp) => [hex(idp.companyId), idp.companyId])).values()];
  const groups = await system.models.TargetGroup.collection.find({ companyId: { $in: companyIds } }).toArray();
  const groupName = new Map(groups.map((g) => [hex(g._id), String(g.name)]));
  for (const idp of idps) {
    const targets = await system.models.TargetUser.collection.find({ scimSettingId: idp.scimSettingId }).toArray();
    const unclaimed = new Map(targets.map((t) => [String(t.scimUserId), t]));
    const idpGroups = [...traffic.groups.values()].filter((g) => g.idp === idp);
    for (const user of [...traffic.users.values()].filter((u) => u.idp === idp)) {
      const target = unclaimed.get(user.id);
      unclaimed.delete(user.id);
      if (user.deleted) {
        if (target) found.push(`${idp.name}: deleted ${user.userName} still has target user ${String(target._id)}`);
        continue;
      }
      const shown = target && {
        email: target.email as unknown,
        department: target.department as unknown,
        status: target.status as unknown,
        groups: (target.groupIds as Types.ObjectId[]).map((id) => groupName.get(hex(id)) ?? `unknown group ${hex(id)}`).sort(),
        version: (target.sync as { version: number }).version,
      };
      const wanted = {
        email: user.userName,
        department: user.department,
        status: user.active ? 'active' : 'inactive',
        groups: idp.groupingCriteria === 'idpGroups' ? idpGroups.filter((g) => g.members.has(user.id)).map((g) => g.displayName).sort() : [user.department],
        version: user.version,
      };
      if (!isDeepStrictEqual(shown, wanted)) found.push(`${idp.name}: ${user.userName} shows ${JSON.stringify(shown)}, wanted ${JSON.stringify(wanted)}`);
    }
    for (const target of unclaimed.values()) found.push(`${idp.name}: target user ${String(target._id)} belongs to no SCIM user the IdP made`);
    if (idp.groupingCriteria === 'idpGroups') {
      const mirrored = groups.filter((g) => g.source === 'idp' && (g.scimSettingId as Types.ObjectId).equals(idp.scimSettingId)).map((g) => `${String(g.scimGroupId)} ${String(g.name)}`);
      const wanted = idpGroups.map((g) => `${g.id} ${g.displayName}`);
      if (!isDeepStrictEqual(mirrored.sort(), wanted.sort())) found.push(`${idp.name}: mirrored groups ${JSON.stringify(mirrored)}, wanted ${JSON.stringify(wanted)}`);
    }
  }
  return found;
}

const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};
const moreThanOnce = (counts: Map<string, number>) => [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);

type ActivityLine = Record<string, unknown>;

/** The version an activity line's due record names, for lines of IdP writes (`<setting>:<kind>:<id>:<version>`); null for others. */
const writeVersion = (line: ActivityLine) => {
  const parts = String(line._id).split(':');
  return parts.length === 4 ? Number(parts[3]) : null;
};

/**
 * What the settings' sync activity says about exactly-once: `failed`, `premature`, `duplicated`,
 * `appliedTwice` and `lastWriteLost` are empty when it holds. A premature line is one named
 * after a write that had not landed when it was written, showing the version before it.
 */
export async function activityFaults(system: TestSystem, idps: Idp[], traffic: Traffic) {
  const lines: ActivityLine[] = await system.models.SyncActivity.collection.find({ scimSettingId: { $in: idps.map((idp) => idp.scimSettingId) } }).toArray();
  const linesOf = (resourceId: string) =>
    lines
      .filter((l) => l.resourceId === resourceId)
      .map((l) => `${String(l._id)} v${String(l.version)} ${String(l.outcome)} [${String(l.changes)}] at ${(l.at as Date).toISOString()}`)
      .join('; ');
  const premature = lines.filter((l) => {
    const version = writeVersion(l);
    return version !== null && Number(l.version) < version;
  });
  const shown = new Set(lines.map((l) => `${String(l.resourceId)} v${String(l.version)}`));
  const deleted = new Set(lines.filter((l) => String(l.operation).startsWith('DELETE ') && l.outcome === 'applied').map((l) => String(l.resourceId)));
  const unlogged = [
    ...[...traffic.users.values()].filter((u) => (u.deleted ? !deleted.has(u.id) : !shown.has(`${u.id} v${u.version}`))).map((u) => ({ id: u.id, version: u.deleted ? ('delete' as const) : u.version, what: `user ${u.userName}` })),
    ...[...traffic.groups.values()].filter((g) => !shown.has(`${g.id} v${g.version}`)).map((g) => ({ id: g.id, version: g.version, what: `group ${g.displayName}` })),
  ];
  return {
    lines: lines.length,
    applied: lines.filter((l) => l.outcome === 'applied').length,
    premature: premature.map((l) => `${String(l._id)} shows v${String(l.version)}`),
    failed: lines.filter((l) => l.outcome === 'failed' || l.outcome === 'rejected').map((l) => `${String(l.operation)} ${String(l.outcome)}: ${String(l.error)}`),
    // A replayed batch (its worker killed before it cleared its due records) writing its lines again.
    duplicated: moreThanOnce(countBy(lines, (l) => `${String(l.operation)} v${String(l.version)} request ${String(l.requestId)}`)),
    // A replay, or a second worker, making one change of one IdP write twice. A group's `members`
    // is left out: a group's projection records its members' due work by comparing with their
    // target users, so it names `members` again, harmlessly (the records are insert-only), until
    // those users have been projected.
    appliedTwice: moreThanOnce(
      countBy(
        lines.filter((l) => l.outcome === 'applied' && writeVersion(l) !== null).flatMap((l) => (l.changes as string[]).filter((change) => !(l.resourceType === 'Group' && change === 'members')).map((change) => ({ l, change }))),
        ({ l, change }) => `${String(l.resourceType)} ${String(l.resourceId)} v${String(l.version)} ${change}`,
      ),
    ).map((found) => `${found}: ${linesOf(found.split(' ')[1]!)}`),
    // Each resource's last write has its line: one showing its final version (a deleted user: its applied DELETE).
    lastWriteLost: unlogged.map((u) => `${u.what} v${u.version}: ${linesOf(u.id)}`),
  };
}
