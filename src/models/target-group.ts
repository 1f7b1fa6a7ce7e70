import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const TARGET_GROUP_SOURCES = ['manual', 'groupBy', 'idp'] as const;
export type TargetGroupSource = (typeof TARGET_GROUP_SOURCES)[number];

/**
 * A group that phishing campaigns and training are assigned to. Membership lives on the
 * target user (`groupIds`), so a user's projection is one atomic document write.
 */
export const targetGroupSchema = new Schema(
  {
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    name: { type: String, required: true, trim: true, maxlength: 256 },
    /**
     * Uniqueness key within the company. Manual and group-by groups share `name:<name>`, so
     * group by reuses a manual group of the same name; a mirrored IdP group is
     * `idp:<settingId>:<scimGroupId>`, so it keeps the IdP's exact name even when a manual
     * group has it too. A unique index on it (no collation, no partial index) runs on FerretDB.
     */
    key: { type: String, required: true },
    source: { type: String, enum: TARGET_GROUP_SOURCES, required: true, default: 'manual' },
    scimSettingId: { type: Types.ObjectId, ref: 'ScimSetting', default: null },
    scimGroupId: { type: String, default: null },
  },
  { timestamps: true },
);
targetGroupSchema.index({ companyId: 1, key: 1 }, { unique: true });
targetGroupSchema.index({ companyId: 1, name: 1 });

export const nameKey = (name: string) => `name:${name}`;
export const idpKey = (scimSettingId: string, scimGroupId: string) => `idp:${scimSettingId}:${scimGroupId}`;

export type TargetGroup = InferSchemaType<typeof targetGroupSchema> & { _id: Types.ObjectId };
export const targetGroupModel = (connection: Connection) => connection.model('TargetGroup', targetGroupSchema, 'target_groups');
