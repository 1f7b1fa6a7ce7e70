import { randomUUID } from 'node:crypto';
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/** `conflict`: a SCIM user placed only in part, or not at all, because its address belongs to another target user (src/models/target-user-conflict.ts). */
export const SYNC_OUTCOMES = ['applied', 'unchanged', 'skipped', 'failed', 'rejected', 'conflict'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/** One line of the sync log an admin reads when something looks wrong: one per projected write or rejected request. */
export const syncActivitySchema = new Schema(
  {
    /** Natural for projection outcomes (the due record's id), so a replay writes the same line; random otherwise. */
    _id: { type: String, required: true, default: () => randomUUID() },
    companyId: { type: Types.ObjectId, ref: 'Company', required: true },
    scimSettingId: { type: Types.ObjectId, ref: 'ScimSetting', required: true },
    at: { type: Date, required: true, default: () => new Date() },
    /** What the IdP did: `POST /Users`, `PATCH /Groups/{id}`, … */
    operation: { type: String, required: true },
    resourceType: { type: String, enum: ['User', 'Group'], required: true },
    resourceId: { type: String, default: null },
    /** The user's e-mail when the line is about a user; null for groups or when it is not known. */
    email: { type: String, default: null },
    /** The user's "first last" name, or the group's name; null when it is not known. */
    displayName: { type: String, default: null },
    version: { type: Number, default: null },
    outcome: { type: String, enum: SYNC_OUTCOMES, required: true },
    /** Field names that changed on the target user or group, never their values. */
    changes: { type: [String], default: [] },
    error: { type: String, default: null },
    /** The request behind the line (the IdP's call, or the console action for a re-sync); null when the sweep found the work. */
    requestId: { type: String, default: null },
    /** The re-syncs (by rules version) whose due records this projection outcome answers: a re-sync's figures are counted from these lines. */
    resyncs: { type: [Number], default: [] },
  },
  { versionKey: false },
);
syncActivitySchema.index({ scimSettingId: 1, at: -1 });
syncActivitySchema.index({ companyId: 1, outcome: 1, at: -1 });

export type SyncActivity = InferSchemaType<typeof syncActivitySchema>;
export const syncActivityModel = (connection: Connection) => connection.model('SyncActivity', syncActivitySchema, 'sync_activities');
