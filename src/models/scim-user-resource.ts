import { Schema, Types, type Connection } from 'mongoose';

/**
 * The SCIM User exactly as the IdP last left it: every SCIM read is served from here, and
 * every write changes it synchronously (optimistic concurrency on `version`) before a
 * projection job is queued. `data` is the resource's JSON without `id` and `meta`: schema
 * URNs contain dots, which MongoDB field names cannot hold portably.
 */
export interface ScimUserResourceDoc {
  _id: string;
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  version: number;
  userName: string;
  /** Lower-cased userName: case-insensitive uniqueness without collation (FerretDB has none). */
  userNameKey: string;
  externalId: string | null;
  active: boolean;
  data: string;
  created: Date;
  lastModified: Date;
  /** DELETE leaves a tombstone until the worker has projected it. */
  deleted: boolean;
}

export const scimUserResourceSchema = new Schema<ScimUserResourceDoc>(
  {
    _id: { type: String, required: true },
    companyId: { type: Schema.Types.ObjectId, required: true },
    scimSettingId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    userName: { type: String, required: true },
    userNameKey: { type: String, required: true },
    externalId: { type: String, default: null },
    active: { type: Boolean, required: true },
    data: { type: String, required: true },
    created: { type: Date, required: true },
    lastModified: { type: Date, required: true },
    deleted: { type: Boolean, required: true, default: false },
  },
  { versionKey: false },
);
scimUserResourceSchema.index({ scimSettingId: 1, userNameKey: 1 }, { unique: true });
scimUserResourceSchema.index({ scimSettingId: 1, externalId: 1 });
scimUserResourceSchema.index({ scimSettingId: 1, created: 1, _id: 1 });

export const scimUserResourceModel = (connection: Connection) =>
  connection.model<ScimUserResourceDoc>('ScimUserResource', scimUserResourceSchema, 'scim_users');
