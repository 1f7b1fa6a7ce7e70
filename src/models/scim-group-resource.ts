import { Schema, Types, type Connection } from 'mongoose';

export interface ScimGroupMember {
  value: string;
  display?: string;
  type?: string;
}

/**
 * The SCIM Group as the IdP last left it (see scim-user-resource.ts for the model).
 * `members` stays a real array so "groups of user X" and `members[value eq "X"]` are index lookups.
 */
export interface ScimGroupResourceDoc {
  _id: string;
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  version: number;
  displayName: string;
  displayNameKey: string;
  externalId: string | null;
  members: ScimGroupMember[];
  data: string;
  /** Allocated at creation so user projections can name the mirrored target group before it exists. */
  targetGroupId: Types.ObjectId;
  created: Date;
  lastModified: Date;
  deleted: boolean;
}

const memberSchema = new Schema<ScimGroupMember>(
  { value: { type: String, required: true }, display: String, type: String },
  { _id: false },
);

export const scimGroupResourceSchema = new Schema<ScimGroupResourceDoc>(
  {
    _id: { type: String, required: true },
    companyId: { type: Schema.Types.ObjectId, required: true },
    scimSettingId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    displayName: { type: String, required: true },
    displayNameKey: { type: String, required: true },
    externalId: { type: String, default: null },
    members: { type: [memberSchema], default: [] },
    data: { type: String, required: true },
    targetGroupId: { type: Schema.Types.ObjectId, required: true },
    created: { type: Date, required: true },
    lastModified: { type: Date, required: true },
    deleted: { type: Boolean, required: true, default: false },
  },
  { versionKey: false },
);
scimGroupResourceSchema.index({ scimSettingId: 1, displayNameKey: 1 }, { unique: true });
scimGroupResourceSchema.index({ scimSettingId: 1, 'members.value': 1 });
scimGroupResourceSchema.index({ scimSettingId: 1, created: 1, _id: 1 });

export const scimGroupResourceModel = (connection: Connection) =>
  connection.model<ScimGroupResourceDoc>('ScimGroupResource', scimGroupResourceSchema, 'scim_groups');
