import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/** A company's own target-user column ("Edit Fields" on Target Users), filled by SCIM field mappings. */
export const customFieldSchema = new Schema(
  {
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    /** Stable key under which target users keep the value (targetUser.customFields[key]). */
    key: { type: String, required: true, match: /^[a-z][a-z0-9_]{0,63}$/ },
  },
  { timestamps: true },
);
customFieldSchema.index({ companyId: 1, key: 1 }, { unique: true });

export type CustomField = InferSchemaType<typeof customFieldSchema>;
export const customFieldModel = (connection: Connection) => connection.model('CustomField', customFieldSchema, 'custom_fields');
