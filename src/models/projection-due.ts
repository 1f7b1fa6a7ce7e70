import { Schema, Types, type Connection } from 'mongoose';

export const DUE_KINDS = ['User', 'Group'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

/**
 * "This resource needs projecting": written by the intake before it answers a write, removed by
 * the setting's projection once the target users show that version or a later one. BullMQ jobs
 * only wake the projection up; these records are what is due, so losing Redis or a job loses
 * nothing. Insert-only for everyone but the setting's projection (FerretDB v1 has no atomic
 * update): the `_id` names the write, so a replayed insert is a duplicate, not a second record.
 */
export interface ProjectionDueDoc {
  _id: string;
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  kind: DueKind;
  resourceId: string;
  /** The version the write makes; 0 when any version will do (a re-sync, a group's member change). */
  version: number;
  /** What asked for it: the IdP's operation, `resync`, `group` (a mirrored group's membership changed), or `include` (its target user managed by SCIM again). */
  operation: string;
  /** The request that asked for it (a SCIM call, a console action), so its sync activity names it; null when none did. */
  requestId: string | null;
  /** The rules version of the re-sync that recorded it (src/models/setting-resync.ts); null for every other record. */
  resync: number | null;
  createdAt: Date;
  /** Failed projections wait until then (backoff); new records are due at once. */
  notBefore: Date;
  attempts: number;
  lastError: string | null;
}

export const projectionDueSchema = new Schema<ProjectionDueDoc>(
  {
    _id: { type: String, required: true },
    companyId: { type: Schema.Types.ObjectId, required: true },
    scimSettingId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: DUE_KINDS, required: true },
    resourceId: { type: String, required: true },
    version: { type: Number, required: true },
    operation: { type: String, required: true },
    requestId: { type: String, default: null },
    resync: { type: Number, default: null },
    createdAt: { type: Date, required: true },
    notBefore: { type: Date, required: true },
    attempts: { type: Number, required: true, default: 0 },
    lastError: { type: String, default: null },
  },
  { versionKey: false },
);
// MongoDB serves the projection's "due now for this setting" from here; FerretDB scans (the collection holds only unfinished work).
projectionDueSchema.index({ scimSettingId: 1, notBefore: 1 });
// …and "another setting of the company with work due" (the company's projection goes on with it).
projectionDueSchema.index({ companyId: 1, notBefore: 1 });

export const projectionDueModel = (connection: Connection) => connection.model<ProjectionDueDoc>('ProjectionDue', projectionDueSchema, 'projection_due');
