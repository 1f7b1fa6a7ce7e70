import { Schema, Types, type Connection } from 'mongoose';

/** Why a SCIM user is not (wholly) projected onto a target user. */
export const CONFLICT_REASONS = ['takeOverOff', 'emailHeld'] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

/**
 * A SCIM user its setting's projection could not place without merging two people (README
 * "Who is a target user"): its address belongs to a console-managed target user and the setting
 * does not take those over (`takeOverOff`: the SCIM user is not projected), or its address
 * changed to one another target user holds (`emailHeld`: its target user keeps the old address).
 * Shown on the setting's page until a later projection of the SCIM user resolves it. Keyed by
 * the source (`<settingId>:<scimUserId>`), written only under the company's projection lease.
 */
export interface TargetUserConflictDoc {
  _id: string;
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  scimUserId: string;
  reason: ConflictReason;
  /** The address the SCIM user sends. */
  email: string;
  /** The target user that holds that address. */
  heldBy: string;
  at: Date;
}

export const targetUserConflictSchema = new Schema<TargetUserConflictDoc>(
  {
    _id: { type: String, required: true },
    companyId: { type: Schema.Types.ObjectId, ref: 'Company', required: true },
    scimSettingId: { type: Schema.Types.ObjectId, ref: 'ScimSetting', required: true },
    scimUserId: { type: String, required: true },
    reason: { type: String, enum: CONFLICT_REASONS, required: true },
    email: { type: String, required: true },
    heldBy: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
targetUserConflictSchema.index({ companyId: 1, scimSettingId: 1 });

export const targetUserConflictModel = (connection: Connection) =>
  connection.model<TargetUserConflictDoc>('TargetUserConflict', targetUserConflictSchema, 'target_user_conflicts');
