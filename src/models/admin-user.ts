import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const ADMIN_ROLES = ['companyAdmin', 'platformAdmin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/**
 * A console login. A company admin sees only its company's records; a platform admin sees
 * every company and the queues. The password is kept only as a scrypt hash.
 */
export const adminUserSchema = new Schema(
  {
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 254 },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ADMIN_ROLES, required: true, default: 'companyAdmin' },
    companyId: { type: Types.ObjectId, ref: 'Company', default: null },
    failedLogins: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date, default: null },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true },
);
adminUserSchema.index({ email: 1 }, { unique: true });

export type AdminUser = InferSchemaType<typeof adminUserSchema> & { _id: Types.ObjectId };
export const adminUserModel = (connection: Connection) => connection.model('AdminUser', adminUserSchema, 'admin_users');
