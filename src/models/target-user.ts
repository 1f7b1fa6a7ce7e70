import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const TARGET_USER_STATUSES = ['active', 'inactive', 'deleted'] as const;
export type TargetUserStatus = (typeof TARGET_USER_STATUSES)[number];

/**
 * A person phishing simulations and training reach: the projection of one SCIM User
 * through its setting's field mappings and grouping criteria. Written only by its setting's
 * projection. The `_id` is natural (targetUserId): FerretDB serves only `_id` equality from an
 * index, and the projection reads each user by it.
 */
export const targetUserSchema = new Schema(
  {
    _id: { type: String, required: true },
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    scimSettingId: { type: Types.ObjectId, ref: 'ScimSetting', required: true },
    scimUserId: { type: String, required: true },
    userName: { type: String, default: null },
    externalId: { type: String, default: null },
    email: { type: String, default: null },
    firstName: { type: String, default: null },
    lastName: { type: String, default: null },
    department: { type: String, default: null },
    phoneNumber: { type: String, default: null },
    title: { type: String, default: null },
    manager: { type: String, default: null },
    /** custom field key → value, from the setting's field mappings. */
    customFields: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: TARGET_USER_STATUSES, required: true, default: 'active' },
    groupIds: { type: [Types.ObjectId], ref: 'TargetGroup', default: [] },
    sync: {
      /** The SCIM resource version this document shows; older jobs are skipped. */
      version: { type: Number, required: true, default: 0 },
      /** The setting's rulesVersion it was projected under. */
      rulesVersion: { type: Number, required: true, default: 0 },
      lastSyncedAt: { type: Date, default: null },
    },
  },
  { timestamps: true, minimize: false },
);
targetUserSchema.index({ scimSettingId: 1, scimUserId: 1 }, { unique: true });
targetUserSchema.index({ companyId: 1, groupIds: 1 });
targetUserSchema.index({ companyId: 1, email: 1 });
targetUserSchema.index({ companyId: 1, status: 1 });

export type TargetUser = InferSchemaType<typeof targetUserSchema>;

/** The target user of a SCIM User: one per (SCIM setting, SCIM id). */
export const targetUserId = (scimSettingId: Types.ObjectId | string, scimUserId: string) =>
  `${typeof scimSettingId === 'string' ? scimSettingId : scimSettingId.toHexString()}:${scimUserId}`;
export const targetUserModel = (connection: Connection) => connection.model('TargetUser', targetUserSchema, 'target_users');
