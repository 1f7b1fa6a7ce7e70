import { Schema, Types, type Connection } from 'mongoose';

/** What one kind of resource came to in a re-sync, counted from its sync activity lines. */
export interface ResyncTally {
  /** Projected under the re-sync's rules (changed or not). */
  reprojected: number;
  changed: number;
  /** Tried and failed, and not projected since: their due records wait for a retry. */
  failed: number;
}

/**
 * One re-sync of a SCIM setting: every SCIM user and group of it made due again under rules
 * version `rulesVersion`. Inserted by the re-sync job once all its due records are stored (a
 * replayed job's insert is a duplicate); from then on only the setting's projection, under its
 * lease, writes it: once no due record of the re-sync is left untried it stamps `finishedAt` and
 * the tallies. So no two writers ever update one document (FerretDB v1 has no atomic update).
 */
export interface SettingResyncDoc {
  /** `<settingId>:r<rulesVersion>` */
  _id: string;
  companyId: Types.ObjectId;
  scimSettingId: Types.ObjectId;
  rulesVersion: number;
  /** When the admin asked for it (the job's creation). */
  requestedAt: Date;
  /** When its due records were all stored. */
  recordedAt: Date;
  /** Due records it stored, per kind. */
  users: number;
  groups: number;
  finishedAt: Date | null;
  userTally: ResyncTally | null;
  groupTally: ResyncTally | null;
}

const tallySchema = new Schema<ResyncTally>({ reprojected: Number, changed: Number, failed: Number }, { _id: false });

export const settingResyncSchema = new Schema<SettingResyncDoc>(
  {
    _id: { type: String, required: true },
    companyId: { type: Schema.Types.ObjectId, required: true },
    scimSettingId: { type: Schema.Types.ObjectId, required: true },
    rulesVersion: { type: Number, required: true },
    requestedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    users: { type: Number, required: true },
    groups: { type: Number, required: true },
    finishedAt: { type: Date, default: null },
    userTally: { type: tallySchema, default: null },
    groupTally: { type: tallySchema, default: null },
  },
  { versionKey: false },
);
// The projection asks after every batch whether its setting has an unfinished re-sync.
settingResyncSchema.index({ scimSettingId: 1, finishedAt: 1 });

export const settingResyncModel = (connection: Connection) => connection.model<SettingResyncDoc>('SettingResync', settingResyncSchema, 'setting_resyncs');
