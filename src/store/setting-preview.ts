import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { TargetGroupSource } from '../models/target-group';
import type { ConflictReason } from '../models/target-user-conflict';
import { previewSetting, type SettingPreview } from '../mapping/preview';
import type { ProjectionRules } from '../mapping/project-user';
import { rankSettings, type PostedRank } from './setting-ranks';
import { personFromDoc } from './target-users';

/**
 * Large batches: FerretDB answers a default find in many small ones; measured on 20,000 stored
 * SCIM Users, 5,000 per batch read them about 12% faster.
 */
const BATCH = { batchSize: 5000 };

/** A target user without what personFromDoc does not read (lookup keys derived from its sources, times of the last write). */
const PERSON_FIELDS = { sourceKeys: 0, sourceSettingIds: 0, updatedAt: 0, companyId: 0 };

const hex = (id: unknown) => (id as Types.ObjectId).toHexString();

export interface SettingPreviewRead {
  preview: SettingPreview;
  /** The company's SCIM settings by id, for naming the one whose fields a target user shows. */
  settingNames: Map<string, string>;
}

/**
 * The dry run of a SCIM setting's rules, take-over option and precedence as on its form
 * (src/mapping/preview.ts) over what is stored now. Reads in bulk and read-only, one query per
 * collection: FerretDB serves no filter from an index, so a query per user would scan the
 * collection once per user. It reads the company's target users whole: the re-sync may join,
 * take over or re-derive any of them, and group member counts need everyone.
 */
export async function previewSettingRules(
  models: Models,
  setting: { _id: Types.ObjectId; companyId: Types.ObjectId },
  rules: ProjectionRules,
  posted: Omit<PostedRank, 'scimSettingId'>,
): Promise<SettingPreviewRead> {
  const scimSettingId = setting._id;
  const { companyId } = setting;
  const [scimUsers, people, groups, scimGroups, settings, conflicts] = await Promise.all([
    models.ScimUserResource.collection.find({ scimSettingId }, { projection: { data: 1, deleted: 1, version: 1, userNameKey: 1 }, ...BATCH }).toArray(),
    models.TargetUser.collection.find({ companyId }, { projection: PERSON_FIELDS, ...BATCH }).toArray(),
    models.TargetGroup.collection.find({ companyId }, { projection: { name: 1, key: 1, source: 1 } }).toArray(),
    rules.groupingCriteria === 'idpGroups'
      ? models.ScimGroupResource.collection.find({ scimSettingId, deleted: false }, { projection: { targetGroupId: 1, displayName: 1, members: 1 } }).toArray()
      : Promise.resolve([]),
    models.ScimSetting.collection.find({ companyId }, { projection: { name: 1, precedence: 1, takeOverExisting: 1, createdAt: 1 } }).toArray(),
    models.TargetUserConflict.collection.find({ companyId, scimSettingId }, { projection: { scimUserId: 1, reason: 1, email: 1, heldBy: 1 } }).toArray(),
  ]);

  const preview = previewSetting({
    settingId: scimSettingId.toHexString(),
    rules,
    ranks: rankSettings(settings as Array<{ _id: Types.ObjectId; precedence?: number; createdAt?: Date; takeOverExisting?: boolean }>, { scimSettingId, ...posted }),
    scimUsers: scimUsers
      .sort((a, b) => String(a.userNameKey).localeCompare(String(b.userNameKey)))
      .map((u) => ({ id: String(u._id), version: Number(u.version), data: String(u.data), deleted: u.deleted === true })),
    people: people.map(personFromDoc),
    groups: groups.map((g) => ({ id: hex(g._id), name: String(g.name), key: String(g.key), source: g.source as TargetGroupSource })),
    scimGroups: scimGroups.map((g) => ({
      targetGroupId: hex(g.targetGroupId),
      displayName: String(g.displayName),
      memberIds: ((g.members ?? []) as Array<{ value: string }>).map((m) => m.value),
    })),
    conflicts: conflicts.map((c) => ({ scimUserId: String(c.scimUserId), reason: c.reason as ConflictReason, email: String(c.email), heldBy: String(c.heldBy) })),
  });
  return { preview, settingNames: new Map(settings.map((s) => [hex(s._id), String(s.name)] as const)) };
}
