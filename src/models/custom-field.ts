import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * What makes a custom field's name unique: its company and the name, trimmed and lower-cased
 * ("Office" and "office" would be one column to an admin). FerretDB has no collation, so the
 * unique index is on this key.
 */
export const customFieldNameKey = (companyId: Types.ObjectId | string, name: string) => `${String(companyId)}:${name.trim().normalize('NFC').toLowerCase()}`;

/** A company's own target-user column ("Edit Fields" on Target Users), filled by SCIM field mappings. */
export const customFieldSchema = new Schema(
  {
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    /** Stable key under which target users keep the value (targetUser.customFields[key]). */
    key: { type: String, required: true, match: /^[a-z][a-z0-9_]{0,63}$/ },
    /**
     * customFieldNameKey(companyId, name): set on every save; an update that renames sets it
     * itself. Missing only on fields made before it existed, which the web process fills in at
     * start (src/store/migrations/custom-field-name-keys.ts).
     */
    nameKey: { type: String },
  },
  { timestamps: true },
);
customFieldSchema.index({ companyId: 1, key: 1 }, { unique: true });
/**
 * Sparse, so fields still without a nameKey do not collide on MongoDB while the index is built;
 * FerretDB v1 ignores `sparse` but never counts a missing field as a duplicate either.
 */
customFieldSchema.index({ nameKey: 1 }, { unique: true, sparse: true });
customFieldSchema.pre('validate', function () {
  if (this.companyId && typeof this.name === 'string') this.nameKey = customFieldNameKey(this.companyId, this.name);
});

export type CustomField = InferSchemaType<typeof customFieldSchema>;
export const customFieldModel = (connection: Connection) => connection.model('CustomField', customFieldSchema, 'custom_fields');
