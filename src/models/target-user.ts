import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const TARGET_USER_STATUSES = ['active', 'inactive', 'deleted'] as const;
export type TargetUserStatus = (typeof TARGET_USER_STATUSES)[number];

/** Who added a target user first: an admin by hand, or a SCIM setting's projection. */
export const TARGET_USER_ORIGINS = ['console', 'scim'] as const;
export type TargetUserOrigin = (typeof TARGET_USER_ORIGINS)[number];

/** The fields a target user shows, whoever provides them (a SCIM source, or the console). */
const shownFields = {
  userName: { type: String, default: null },
  externalId: { type: String, default: null },
  email: { type: String, default: null },
  firstName: { type: String, default: null },
  lastName: { type: String, default: null },
  department: { type: String, default: null },
  phoneNumber: { type: String, default: null },
  title: { type: String, default: null },
  /** The manager as the IdP names it: display name, else its id. */
  manager: { type: String, default: null },
  /** The manager's id as the IdP sends it (enterprise `manager.value`, OneLogin's `managerId`): resolved to a target user when read. */
  managerId: { type: String, default: null },
  /** custom field key → value. */
  customFields: { type: Schema.Types.Mixed, default: {} },
  status: { type: String, enum: TARGET_USER_STATUSES, required: true, default: 'active' },
  groupIds: { type: [Types.ObjectId], ref: 'TargetGroup', default: [] },
};

/**
 * One SCIM setting's claim on a person: the SCIM User it sent, projected through that setting's
 * rules (its own fields, status and groups), and the versions it shows.
 */
const sourceSchema = new Schema(
  {
    scimSettingId: { type: Types.ObjectId, ref: 'ScimSetting', required: true },
    scimUserId: { type: String, required: true },
    /** The address this source gives, normalised (src/mapping/address.ts). */
    emailKey: { type: String, required: true },
    view: new Schema(shownFields, { _id: false, minimize: false }),
    version: { type: Number, required: true },
    rulesVersion: { type: Number, required: true },
    /** When this source last stopped being active (null while active): the last source to leave decides the person's status. */
    deprovisionedAt: { type: Date, default: null },
    lastSyncedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { _id: false, minimize: false },
);

/**
 * A target user is a person of the company: the one address phishing simulations and training
 * reach, one per company and normalised e-mail address (`emailKey`, unique with the company),
 * whether an admin added it by hand or one or several SCIM settings send it (README "Who is a
 * target user"). Its shown fields come from one source by the company's order of SCIM settings;
 * its groups are the union of what each source's rules give plus the groups an admin added it
 * to. Written only under its company's projection lease (src/store/write-lock.ts).
 */
export const targetUserSchema = new Schema(
  {
    _id: { type: String, required: true },
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    /** Normalised address; `none:<settingId>:<scimUserId>` for a SCIM user with no address (never merged). */
    emailKey: { type: String, required: true },
    origin: { type: String, enum: TARGET_USER_ORIGINS, required: true },
    /** The source whose fields it shows ("Managed by"): null while console-managed. */
    scimSettingId: { type: Types.ObjectId, ref: 'ScimSetting', default: null },
    scimUserId: { type: String, default: null },
    ...shownFields,
    /** Groups an admin added this person to in the console; kept whatever the sources do. */
    manualGroupIds: { type: [Types.ObjectId], ref: 'TargetGroup', default: [] },
    sources: { type: [sourceSchema], default: [] },
    /** Derived from `sources`, for lookups and filters without dotted paths: `<settingId>:<scimUserId>` each. */
    sourceKeys: { type: [String], default: [] },
    sourceSettingIds: { type: [Types.ObjectId], ref: 'ScimSetting', default: [] },
    /**
     * Excluded from SCIM management by an admin (README "Who is a target user"): since when, and
     * the target groups its sources gave it then, which it keeps. Null, or absent in documents
     * written before exclusion existed: SCIM manages it.
     */
    scimExclusion: {
      type: new Schema({ at: { type: Date, required: true }, groupIds: { type: [Types.ObjectId], ref: 'TargetGroup', default: [] } }, { _id: false }),
      default: null,
    },
    sync: {
      /** The field source's SCIM resource version and rules version (0 for a console-managed person). */
      version: { type: Number, required: true, default: 0 },
      rulesVersion: { type: Number, required: true, default: 0 },
      lastSyncedAt: { type: Date, default: null },
    },
  },
  { timestamps: true, minimize: false },
);
targetUserSchema.index({ companyId: 1, emailKey: 1 }, { unique: true });
targetUserSchema.index({ companyId: 1, sourceKeys: 1 });
targetUserSchema.index({ companyId: 1, sourceSettingIds: 1 });
targetUserSchema.index({ companyId: 1, groupIds: 1 });
targetUserSchema.index({ companyId: 1, email: 1 });
targetUserSchema.index({ companyId: 1, status: 1 });

export type TargetUser = InferSchemaType<typeof targetUserSchema>;

/** A source's key: the SCIM User of one SCIM setting. */
export const sourceKey = (scimSettingId: Types.ObjectId | string, scimUserId: string) =>
  `${typeof scimSettingId === 'string' ? scimSettingId : scimSettingId.toHexString()}:${scimUserId}`;
export const targetUserModel = (connection: Connection) => connection.model('TargetUser', targetUserSchema, 'target_users');
