import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const GROUPING_CRITERIA = ['none', 'department', 'customField', 'idpGroups'] as const;
export type GroupingCriteria = (typeof GROUPING_CRITERIA)[number];

/** What DELETE /Users/{id} does to the target user (Okta never deletes; Entra deletes weeks after deactivating). */
export const DELETE_POLICIES = ['markDeleted', 'deactivate', 'remove'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

const fieldMappingSchema = new Schema(
  {
    /** Any SCIM attribute path: `title`, `urn:…:enterprise:2.0:User:costCenter`, `addresses[type eq "work"].locality`. */
    scimPath: { type: String, required: true, trim: true, maxlength: 300 },
    customFieldId: { type: Types.ObjectId, ref: 'CustomField', required: true },
  },
  { _id: false },
);

/**
 * One IdP connection of a company: its bearer token (kept only as a SHA-256 hash plus a
 * visible prefix), its field mappings and its grouping criteria.
 */
export const scimSettingSchema = new Schema(
  {
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    enabled: { type: Boolean, required: true, default: true },
    token: {
      /** The first characters of the token, shown in the console and used to find the setting. */
      prefix: { type: String, required: true },
      /** Hex SHA-256 of the whole token: tokens are 256 random bits, so a slow KDF adds nothing. */
      hash: { type: String, required: true },
      rotatedAt: { type: Date, required: true },
    },
    fieldMappings: { type: [fieldMappingSchema], default: [] },
    /** The "Group Name" of the docs: every user's group, or the fallback when group by finds no value. */
    targetGroupId: { type: Types.ObjectId, ref: 'TargetGroup', default: null },
    groupingCriteria: { type: String, enum: GROUPING_CRITERIA, required: true, default: 'none' },
    /** With groupingCriteria 'customField': which custom field's value names the group. */
    groupByCustomFieldId: { type: Types.ObjectId, ref: 'CustomField', default: null },
    deletePolicy: { type: String, enum: DELETE_POLICIES, required: true, default: 'markDeleted' },
    /**
     * Whether a SCIM user whose address matches a console-managed target user takes it over
     * (default, as KnowBe4 and Living Security do), or is left out and reported as a conflict.
     */
    takeOverExisting: { type: Boolean, required: true, default: true },
    /**
     * The company's order of SCIM settings: a person several settings send shows the fields of
     * the first (lowest number; equal numbers, the older setting first).
     */
    precedence: { type: Number, required: true, default: 1, min: 0, max: 1000 },
    /** Bumped whenever mappings or grouping change, so workers re-project users made under the old rules. */
    rulesVersion: { type: Number, required: true, default: 1 },
  },
  { timestamps: true },
);
scimSettingSchema.index({ 'token.prefix': 1 }, { unique: true });
scimSettingSchema.index({ companyId: 1, name: 1 });

export type ScimSetting = InferSchemaType<typeof scimSettingSchema> & { _id: Types.ObjectId };
export const scimSettingModel = (connection: Connection) => connection.model('ScimSetting', scimSettingSchema, 'scim_settings');
