import { Types, type mongo } from 'mongoose';
import type { Models } from '../../models';
import { createLogger, type Logger } from '../../logger';
import { keyOfSource, type PersonState } from '../../mapping/people';
import type { TargetUserView } from '../../mapping/project-user';
import { settingRanks } from '../setting-ranks';
import { personDoc, personFromDoc } from '../target-users';
import { onlyDuplicateKeys } from '../mongo-errors';
import { holdLock, LockExpiredError, type AssertLockHeld } from '../write-lock';
import { conversionRecords } from './conversion-records';
import { planPeople, type OldTargetUser, type PlannedPerson } from './people-plan';

/** One conversion at a time across every process starting against the database. */
const LOCK_KEY = 'migrate:people';
/** Its record once finished (src/store/migrations/conversion-records.ts): later starts look no further. */
const CONVERSION = 'people';
/**
 * The lock is taken for rounds of this long and given back between them (lock records have no
 * renewal): a large database is converted over several rounds, by whichever process takes the
 * lock next, since every step can be done again. A process killed mid-round leaves its lock:
 * the next one to start waits at most this long.
 */
const ROUND_MS = 30_000;
/** No write starts later than this before the round's lock may be taken over. */
const ROUND_MARGIN_MS = 10_000;
/**
 * People written, and old target users deleted, per command: small enough that one command
 * stays well within the web process's 5 s socket timeout on FerretDB, which tests every
 * document against every value of an `$in`.
 */
const CHUNK = 100;
/** The old identity of a target user, unique per SCIM setting and SCIM user. */
const OLD_UNIQUE_INDEX = 'scimSettingId_1_scimUserId_1';
/** Written by the code before people: every person has its key. */
const OLD = { emailKey: { $exists: false } };

/** MongoDB's NamespaceNotFound and IndexNotFound: a database with no target users yet, or an index another process dropped. */
const NOT_FOUND = new Set([26, 27]);

type Doc = mongo.Document;

export interface PeopleConversion {
  /** Old target users made into people (or into sources of people already there). */
  targetUsers: number;
  /** People written: new ones and those old target users joined. */
  people: number;
  /** Of them, those made of more than one target user, each logged. */
  merged: number;
  /** Old target users a person already held (a run that stopped half-way), deleted. */
  alreadyConverted: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = (id: unknown) => (id instanceof Types.ObjectId ? id.toHexString() : String(id));
const ms = (date: unknown) => (date instanceof Date ? date.getTime() : null);

/**
 * Converts the target users of a database written before people (one per SCIM setting and SCIM
 * user) into people (src/models/target-user.ts): before indexes are built, since the person
 * index `{companyId, emailKey}` cannot be built over them and their unique index
 * `{scimSettingId, scimUserId}` would refuse people (every console-managed one has nulls there,
 * and a person reuses its field source's pair). Nothing is lost whenever it stops: each person is
 * written before the old target users it is made of are deleted, under an id derived from them,
 * and a rerun finishes what is left. Processes starting together take turns under one lock
 * record; each returns only once nothing old remains, and the first to see nothing left records
 * the conversion finished, so later starts do not search again (a process of the version before
 * people still writing afterwards would not be converted: stop those first). Logs a line per merged person and a
 * summary; `logger` defaults to one of its own, since the conversion's lines are the record of
 * the upgrade.
 */
export async function convertTargetUsersToPeople(models: Models, logger?: Logger): Promise<PeopleConversion> {
  const totals: PeopleConversion = { targetUsers: 0, people: 0, merged: 0, alreadyConverted: 0 };
  if (await conversionRecords.finished(models, CONVERSION)) return totals;
  if (!(await hasOldTargetUsers(models))) {
    await conversionRecords.recordFinished(models, CONVERSION);
    return totals;
  }
  const log = logger ?? createLogger('info', 'database');
  for (let pause = 10; ; ) {
    const held = await holdLock(models, LOCK_KEY, ROUND_MS, ROUND_MARGIN_MS);
    if (!held) {
      if (pause === 10) log.info('waiting for another process converting target users to people');
      await sleep(pause);
      pause = Math.min(pause * 2, 1000);
      continue;
    }
    try {
      await convertAll(models, held.assertHeld, log, totals);
      break;
    } catch (err) {
      // The round is over: the lock is taken again, here or by another process, for the rest.
      if (!(err instanceof LockExpiredError)) throw err;
    } finally {
      await held.release();
    }
  }
  await conversionRecords.recordFinished(models, CONVERSION);
  if (totals.targetUsers + totals.alreadyConverted > 0) log.info({ ...totals }, 'target users converted to people');
  return totals;
}

/** Whether there is anything to do: old target users, or their unique index. */
async function hasOldTargetUsers(models: Models): Promise<boolean> {
  const collection = models.TargetUser.collection;
  if (await collection.findOne(OLD, { projection: { _id: 1 } })) return true;
  try {
    return (await collection.indexes()).some((index) => index.name === OLD_UNIQUE_INDEX);
  } catch (err) {
    if (NOT_FOUND.has((err as { code?: unknown }).code as number)) return false;
    throw err;
  }
}

async function convertAll(models: Models, assertHeld: AssertLockHeld, log: Logger, totals: PeopleConversion): Promise<void> {
  const collection = models.TargetUser.collection;
  assertHeld();
  const dropped = await collection.dropIndex(OLD_UNIQUE_INDEX).then(
    () => true,
    (err: { code?: number }) => {
      if (NOT_FOUND.has(err.code ?? 0)) return false;
      throw err;
    },
  );
  if (dropped) log.info({ index: OLD_UNIQUE_INDEX }, 'dropped the unique index of target users per SCIM setting');
  const companies = (await collection.distinct('companyId', OLD)) as Types.ObjectId[];
  for (const companyId of companies) await convertCompany(models, companyId, assertHeld, log, totals);
}

async function convertCompany(models: Models, companyId: Types.ObjectId, assertHeld: AssertLockHeld, log: Logger, totals: PeopleConversion): Promise<void> {
  const collection = models.TargetUser.collection;
  const old = (await collection.find({ companyId, ...OLD }).toArray()).map(oldTargetUserOf);
  if (old.length === 0) return;
  const people = (await collection.find({ companyId, emailKey: { $exists: true } }).toArray()).map(personFromDoc);
  // Ranks are the company's: any of its settings names it as a tenant.
  const ranks = await settingRanks(models, companyId);
  const plan = planPeople(old, people, ranks);
  const deleteOld = async (ids: string[]) => {
    assertHeld();
    await collection.deleteMany({ companyId, ...OLD, _id: { $in: ids as never[] } });
  };
  for (let i = 0; i < plan.alreadyConverted.length; i += CHUNK) {
    const ids = plan.alreadyConverted.slice(i, i + CHUNK);
    await deleteOld(ids);
    totals.alreadyConverted += ids.length;
  }
  const now = new Date();
  for (let i = 0; i < plan.people.length; i += CHUNK) {
    const chunk = plan.people.slice(i, i + CHUNK);
    const fresh = chunk.filter((p) => !p.joined).map((p) => convertedDoc(companyId, p.person, now));
    if (fresh.length) {
      assertHeld();
      // A duplicate is this person written by a round that stopped before deleting its parts.
      await collection.insertMany(fresh as never[], { ordered: false }).catch((err: unknown) => {
        if (!onlyDuplicateKeys(err)) throw err;
      });
    }
    // One document per command: a bulk update of existing documents hangs FerretDB 1.24.
    for (const { person } of chunk.filter((p) => p.joined)) {
      assertHeld();
      await collection.replaceOne({ _id: person.id as never, companyId }, convertedDoc(companyId, person, now));
    }
    await deleteOld(chunk.flatMap((p) => p.from.map((o) => o.id)));
    for (const planned of chunk) {
      totals.targetUsers += planned.from.length;
      totals.people += 1;
      if (planned.from.length > 1 || planned.joined) {
        totals.merged += 1;
        logMerged(log, companyId, planned);
      }
    }
  }
}

function logMerged(log: Logger, companyId: Types.ObjectId, { person, from, joined }: PlannedPerson): void {
  log.info(
    {
      companyId: companyId.toHexString(),
      targetUserId: person.id,
      address: person.emailKey,
      sources: person.sources.map(keyOfSource),
      convertedTargetUsers: from.map((o) => o.id),
      joinedExisting: joined,
    },
    'target users merged into one person',
  );
}

/** A person as stored, last synced when its field source was (the conversion is no sync). */
function convertedDoc(companyId: Types.ObjectId, person: PersonState, now: Date): Doc {
  const doc = personDoc(companyId, person, now);
  const field = person.fieldSource;
  const lastSyncedAt = (field && person.sources.find((s) => keyOfSource(s) === keyOfSource(field))?.lastSyncedAt) ?? null;
  return { ...doc, sync: { ...doc.sync, lastSyncedAt: lastSyncedAt === null ? null : new Date(lastSyncedAt) } };
}

/** An old target user's document; fields it never had are null, as the old schema's defaults were. */
function oldTargetUserOf(doc: Doc): OldTargetUser {
  const text = (value: unknown) => (value === undefined || value === null ? null : String(value));
  const view: TargetUserView = {
    userName: text(doc.userName),
    externalId: text(doc.externalId),
    email: text(doc.email),
    firstName: text(doc.firstName),
    lastName: text(doc.lastName),
    department: text(doc.department),
    phoneNumber: text(doc.phoneNumber),
    title: text(doc.title),
    manager: text(doc.manager),
    // The old projection kept only the manager's name.
    managerId: null,
    customFields: (doc.customFields ?? {}) as Record<string, string>,
    status: doc.status ?? 'active',
    groupIds: ((doc.groupIds ?? []) as unknown[]).map(hex),
  };
  const createdAt = ms(doc.createdAt) ?? 0;
  return {
    id: String(doc._id),
    scimSettingId: hex(doc.scimSettingId),
    scimUserId: String(doc.scimUserId),
    view,
    version: doc.sync?.version ?? 0,
    rulesVersion: doc.sync?.rulesVersion ?? 0,
    lastSyncedAt: ms(doc.sync?.lastSyncedAt),
    createdAt,
    updatedAt: ms(doc.updatedAt) ?? createdAt,
  };
}
