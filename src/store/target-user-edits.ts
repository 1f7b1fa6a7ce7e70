import { Types, type mongo } from 'mongoose';
import type { Models } from '../models';
import { normaliseAddress } from '../mapping/address';
import { derivePerson, type PersonState } from '../mapping/people';
import { excludeFromScim, manageByScimAgain } from '../mapping/scim-exclusion';
import { companyLeaseKey } from './company-lease';
import { isDuplicateKey } from './mongo-errors';
import { settingRanks } from './setting-ranks';
import { personDoc, personFromDoc } from './target-users';
import { withWriteLock, type AssertLockHeld } from './write-lock';

/** What an admin types for a person no SCIM setting sends. */
export interface ConsoleFields {
  email: string;
  firstName: string | null;
  lastName: string | null;
  department: string | null;
  phoneNumber: string | null;
  title: string | null;
  /** custom field key → value. */
  customFields: Record<string, string>;
}

export type EditResult =
  | { kind: 'saved'; id: string }
  /** Another target user of the company has this address (normalised). */
  | { kind: 'emailTaken' }
  /** A group that is not a manual target group of the company. */
  | { kind: 'notManualGroups' }
  | { kind: 'notFound' }
  /** A SCIM setting sends this person: only its manual groups are the console's. */
  | { kind: 'scimManaged' }
  /** Excluded from SCIM management, but SCIM settings still send it under its address: that stays. */
  | { kind: 'addressKept' };

/** Added by an admin and sent by no SCIM setting: the console is its one source. */
export const isConsoleManaged = (person: Pick<PersonState, 'origin' | 'sources'>) => person.origin === 'console' && person.sources.length === 0;

/** Whose fields the console types: console-managed people, and those excluded from SCIM management. */
export const hasConsoleFields = (person: Pick<PersonState, 'origin' | 'sources' | 'exclusion'>) => isConsoleManaged(person) || Boolean(person.exclusion);

/** What people the exclusion actions changed, and which they left as they were (already so, or sent by no SCIM setting). */
export interface ExclusionResult {
  changed: PersonState[];
  unchanged: string[];
}

/** A console write's lease is longer by this per person an exclusion action writes: FerretDB scans the collection for each write. */
const EXCLUSION_MS_PER_PERSON = 20;

/**
 * Only the groups are taken from derivePerson here: they are the union of the manual groups and
 * what the sources give, whatever the company's order of SCIM settings, which decides only whose
 * fields a person shows, and that is the projection's business.
 */
const anyOrder = () => ({ order: 0 });
const derivedGroups = (person: PersonState) => derivePerson(person, anyOrder).shown.groupIds;

const oids = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

/** A person's document as the console writes it: the time its sources were last synced stays that of the projection. */
const consoleDoc = (companyId: Types.ObjectId, person: PersonState, stored: mongo.Document, now: Date) => {
  const doc = personDoc(companyId, person, now);
  return { ...doc, sync: { ...doc.sync, lastSyncedAt: stored.sync?.lastSyncedAt ?? null } };
};

/**
 * The console's writes to target users (src/models/target-user.ts): people an admin adds by hand,
 * their fields, and the manual target groups of anyone. Each write holds the company's lease
 * (src/store/company-lease.ts), the lock the projection holds while it writes the company's
 * people, so a console edit never interleaves with a batch that read the person before it; a
 * lease held too long ends in the ScimError of withWriteLock (409, or 503 when the database is slow).
 */
export const targetUserEdits = {
  async create(models: Models, companyId: Types.ObjectId, fields: ConsoleFields, manualGroupIds: string[], now = new Date()): Promise<EditResult> {
    const emailKey = normaliseAddress(fields.email);
    return withWriteLock(models, companyLeaseKey(companyId), async (assertHeld) => {
      if (await models.TargetUser.collection.findOne({ companyId, emailKey }, { projection: { _id: 1 } })) return { kind: 'emailTaken' };
      if (!(await areManualGroups(models, companyId, manualGroupIds))) return { kind: 'notManualGroups' };
      const person: PersonState = {
        id: new Types.ObjectId().toHexString(),
        emailKey,
        origin: 'console',
        shown: { userName: null, externalId: null, manager: null, managerId: null, ...fields, status: 'active', groupIds: [] },
        manualGroupIds: [...new Set(manualGroupIds)],
        sources: [],
        fieldSource: null,
        sync: { version: 0, rulesVersion: 0 },
        createdAt: now.getTime(),
      };
      person.shown.groupIds = derivedGroups(person);
      assertHeld();
      try {
        await models.TargetUser.collection.insertOne(personDoc(companyId, person, now) as never);
      } catch (err) {
        // Only the projection writes meanwhile, and it holds the same lease; kept for a lease that expired under a slow database.
        if (isDuplicateKey(err)) return { kind: 'emailTaken' };
        throw err;
      }
      return { kind: 'saved', id: person.id };
    });
  },

  /** A console-managed (or excluded) person's fields and manual groups, typed anew. */
  async edit(models: Models, companyId: Types.ObjectId, id: string, fields: ConsoleFields, manualGroupIds: string[], now = new Date()): Promise<EditResult> {
    const emailKey = normaliseAddress(fields.email);
    return withWriteLock(models, companyLeaseKey(companyId), async (assertHeld) => {
      const doc = await models.TargetUser.collection.findOne({ _id: id as never, companyId });
      if (!doc) return { kind: 'notFound' };
      const person = personFromDoc(doc);
      if (!hasConsoleFields(person)) return { kind: 'scimManaged' };
      // Its sources are recorded at its address: moving it away would leave them behind.
      if (person.sources.length > 0 && emailKey !== person.emailKey) return { kind: 'addressKept' };
      const holder = await models.TargetUser.collection.findOne({ companyId, emailKey }, { projection: { _id: 1 } });
      if (holder && String(holder._id) !== id) return { kind: 'emailTaken' };
      if (!(await areManualGroups(models, companyId, manualGroupIds))) return { kind: 'notManualGroups' };
      const edited: PersonState = { ...person, emailKey, shown: { ...person.shown, ...fields }, manualGroupIds: [...new Set(manualGroupIds)] };
      edited.shown.groupIds = derivedGroups(edited);
      assertHeld();
      try {
        await models.TargetUser.collection.replaceOne({ _id: id as never, companyId }, consoleDoc(companyId, edited, doc, now));
      } catch (err) {
        if (isDuplicateKey(err)) return { kind: 'emailTaken' };
        throw err;
      }
      return { kind: 'saved', id };
    });
  },

  /** Anyone's manual target groups; its groups become those plus what its sources give. */
  async setManualGroups(models: Models, companyId: Types.ObjectId, id: string, manualGroupIds: string[], now = new Date()): Promise<EditResult> {
    return withWriteLock(models, companyLeaseKey(companyId), async (assertHeld) => {
      const doc = await models.TargetUser.collection.findOne({ _id: id as never, companyId });
      if (!doc) return { kind: 'notFound' };
      if (!(await areManualGroups(models, companyId, manualGroupIds))) return { kind: 'notManualGroups' };
      const person = { ...personFromDoc(doc), manualGroupIds: [...new Set(manualGroupIds)] };
      assertHeld();
      await models.TargetUser.collection.updateOne(
        { _id: id as never, companyId },
        { $set: { manualGroupIds: oids(person.manualGroupIds), groupIds: oids(derivedGroups(person)), updatedAt: now } },
      );
      return { kind: 'saved', id };
    });
  },

  /**
   * Only a person no SCIM setting sends: a console-managed one, or one excluded from SCIM
   * management whose sources all left (SCIM never removes it). One a SCIM setting sends goes when
   * its sources do.
   */
  async remove(models: Models, companyId: Types.ObjectId, id: string): Promise<EditResult> {
    return withWriteLock(models, companyLeaseKey(companyId), async (assertHeld) => {
      const doc = await models.TargetUser.collection.findOne({ _id: id as never, companyId }, { projection: { origin: 1, sources: 1, scimExclusion: 1 } });
      if (!doc) return { kind: 'notFound' };
      if (!isDeletable({ origin: doc.origin, sources: doc.sources ?? [], exclusion: doc.scimExclusion ?? null })) return { kind: 'scimManaged' };
      assertHeld();
      await models.TargetUser.collection.deleteOne({ _id: id as never, companyId, sources: { $size: 0 } });
      return { kind: 'saved', id };
    });
  },

  /**
   * Excludes people from SCIM management, or manages them by SCIM again (README "Who is a target
   * user"), under the company's lease like every write of its people. Managed again, a person is
   * derived from its sources at once, in the company's order of SCIM settings. People of another
   * company, and those it does not apply to, are left as they are.
   */
  async setScimExclusion(models: Models, companyId: Types.ObjectId, ids: string[], excluded: boolean, now = new Date()): Promise<ExclusionResult> {
    const unique = [...new Set(ids)];
    const write = async (assertHeld: AssertLockHeld): Promise<ExclusionResult> => {
      const [docs, ranks] = await Promise.all([models.TargetUser.collection.find({ companyId, _id: { $in: unique as never[] } }).toArray(), excluded ? null : settingRanks(models, companyId)]);
      const rank = (settingId: string) => ranks?.get(settingId) ?? { order: Number.MAX_SAFE_INTEGER };
      const result: ExclusionResult = { changed: [], unchanged: [] };
      const writes: Array<{ person: PersonState; doc: mongo.Document }> = [];
      for (const doc of docs) {
        const person = personFromDoc(doc);
        const next = excluded ? excludeFromScim(person, now.getTime()) : manageByScimAgain(person, rank);
        if (next === person) result.unchanged.push(person.id);
        else writes.push({ person: next, doc });
      }
      for (const { person, doc } of writes) {
        assertHeld();
        await models.TargetUser.collection.replaceOne({ _id: person.id as never, companyId }, consoleDoc(companyId, person, doc, now));
        result.changed.push(person);
      }
      return result;
    };
    return withWriteLock(models, companyLeaseKey(companyId), write, unique.length * EXCLUSION_MS_PER_PERSON);
  },

  /**
   * A deleted target group leaves everyone's manual groups. One update per resulting pair of
   * group lists (people of one group mostly share them), not one per person: FerretDB scans the
   * collection for each update.
   */
  async dropManualGroup(models: Models, companyId: Types.ObjectId, groupId: Types.ObjectId, now = new Date()): Promise<void> {
    return withWriteLock(models, companyLeaseKey(companyId), async (assertHeld) => {
      await leaveDeletedGroup(models, companyId, groupId, assertHeld, now);
      const docs = await models.TargetUser.collection.find({ companyId, manualGroupIds: groupId }).toArray();
      const updates = new Map<string, { ids: string[]; set: mongo.Document }>();
      for (const doc of docs) {
        const before = personFromDoc(doc);
        const person = { ...before, manualGroupIds: before.manualGroupIds.filter((g) => g !== groupId.toHexString()) };
        const groupIds = derivedGroups(person);
        const key = JSON.stringify([person.manualGroupIds, groupIds]);
        const update = updates.get(key) ?? { ids: [], set: { manualGroupIds: oids(person.manualGroupIds), groupIds: oids(groupIds), updatedAt: now } };
        update.ids.push(person.id);
        updates.set(key, update);
      }
      for (const { ids, set } of updates.values()) {
        assertHeld();
        await models.TargetUser.collection.updateMany({ companyId, _id: { $in: ids as never[] } }, { $set: set });
      }
    });
  },
};

/** Deleted only when no SCIM setting sends it, and it is the console's: added here, or excluded from SCIM management. */
const isDeletable = (person: Pick<PersonState, 'origin' | 'sources' | 'exclusion'>) => person.sources.length === 0 && hasConsoleFields(person);

/**
 * A deleted target group leaves the groups people excluded from SCIM management kept from their
 * sources: they keep what SCIM gave them, but not a group that is gone. The caller holds the
 * company's lease: the console deleting a group, or the projection removing a mirrored one.
 */
export async function leaveDeletedGroup(models: Models, companyId: Types.ObjectId, groupId: Types.ObjectId, assertHeld: AssertLockHeld, now = new Date()): Promise<void> {
  const docs = await models.TargetUser.collection.find({ companyId, 'scimExclusion.groupIds': groupId }).toArray();
  for (const doc of docs) {
    const before = personFromDoc(doc);
    const person = { ...before, exclusion: { ...before.exclusion!, groupIds: before.exclusion!.groupIds.filter((g) => g !== groupId.toHexString()) } };
    assertHeld();
    await models.TargetUser.collection.updateOne(
      { _id: doc._id, companyId },
      { $set: { 'scimExclusion.groupIds': oids(person.exclusion.groupIds), groupIds: oids(derivedGroups(person)), updatedAt: now } },
    );
  }
}

async function areManualGroups(models: Models, companyId: Types.ObjectId, ids: string[]): Promise<boolean> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return true;
  if (!unique.every((id) => Types.ObjectId.isValid(id))) return false;
  const found = await models.TargetGroup.collection.countDocuments({ companyId, source: 'manual', _id: { $in: oids(unique) } });
  return found === unique.length;
}
