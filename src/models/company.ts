import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** A customer company: the tenant every other record belongs to. */
export const companySchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
  },
  { timestamps: true },
);

export type Company = InferSchemaType<typeof companySchema>;
export const companyModel = (connection: Connection) => connection.model('Company', companySchema, 'companies');
