import { Writable } from 'node:stream';
import mongoose, { Types, type Connection } from 'mongoose';
import pino from 'pino';
import { connectDatabase, type Database } from '../../../../src/db/connect';
import { createModels, type Models } from '../../../../src/models';
import { convertTargetUsersToPeople } from '../../../../src/store/migrations/people';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../../support/database';

jest.setTimeout(120_000);

/**
 * A database written by the code before people (one target user per SCIM setting and SCIM user)
 * is converted when a process connects: one person per company and address, nothing lost, the
 * same result however often it runs, after a crash half-way, or from two processes at once.
 */
const id = (n: number) => new Types.ObjectId(n.toString(16).padStart(24, '0'));
const acme = id(1);
const globex = id(2);
/** Acme's settings: B comes first in the company's order (precedence 0), A second. */
const settingA = id(11);
const settingB = id(12);
const settingG = id(13);
const [g1, g2, g3] = [id(21), id(22), id(23)];
const at = (day: number) => new Date(Date.UTC(2026, 0, day));

/** As the old projection wrote a target user: `_id` `<settingId>:<scimUserId>`, no emailKey, no sources. */
function oldTargetUser(companyId: Types.ObjectId, scimSettingId: Types.ObjectId, scimUserId: string, fields: Record<string, unknown>, created: number) {
  return {
    _id: `${scimSettingId.toHexString()}:${scimUserId}`,
    companyId,
    scimSettingId,
    scimUserId,
    userName: null, externalId: null, email: null, firstName: null, lastName: null, department: null, phoneNumber: null, title: null, manager: null,
    customFields: {},
    status: 'active',
    groupIds: [],
    ...fields,
    sync: { version: created + 1, rulesVersion: 2, lastSyncedAt: at(created + 2) },
    createdAt: at(created),
    updatedAt: at(created + 2),
  };
}

const OLD_TARGET_USERS = [
  oldTargetUser(acme, settingA, 'grace-a', { userName: 'grace.hopper', email: 'grace@acme.test', firstName: 'Grace', customFields: { office: 'Berlin' }, groupIds: [g1] }, 3),
  oldTargetUser(acme, settingB, 'grace-b', { userName: 'ghopper', email: 'Grace@acme.test', firstName: 'Grace B', department: 'Research', customFields: { costCenter: 'R&D' }, groupIds: [g2] }, 5),
  oldTargetUser(acme, settingA, 'grace-c', { userName: 'Grace@Acme.test', status: 'inactive', customFields: { office: 'Paris' }, groupIds: [g3] }, 7),
  oldTargetUser(acme, settingA, 'ada', { userName: 'ada@acme.test', email: 'ada@acme.test', groupIds: [g1] }, 4),
  oldTargetUser(acme, settingA, 'svc', { userName: 'svc-backup' }, 2),
  oldTargetUser(globex, settingG, 'grace-g', { userName: 'grace@acme.test', email: 'grace@acme.test', groupIds: [g2] }, 6),
];

/** The old database: settings, target users under the old unique index, and a sync activity line per user. */
async function writeOldDatabase(dbName: string): Promise<void> {
  const connection = await mongoose.createConnection(testMongoUri(), { dbName, autoIndex: false, autoCreate: false }).asPromise();
  try {
    const db = connection.db!;
    await db.collection('scim_settings').insertMany([
      { _id: settingA, companyId: acme, name: 'Okta', precedence: 1, createdAt: at(1) },
      { _id: settingB, companyId: acme, name: 'Entra', precedence: 0, createdAt: at(2) },
      { _id: settingG, companyId: globex, name: 'Okta', precedence: 1, createdAt: at(1) },
    ]);
    const targetUsers = db.collection('target_users');
    await targetUsers.createIndex({ scimSettingId: 1, scimUserId: 1 }, { unique: true });
    await targetUsers.insertMany(OLD_TARGET_USERS as never[]);
    await db.collection('sync_activities').insertMany(
      OLD_TARGET_USERS.map((u, i) => ({
        _id: `line-${i}`,
        companyId: u.companyId,
        scimSettingId: u.scimSettingId,
        at: u.updatedAt,
        operation: `POST /Users/${u.scimUserId}`,
        resourceType: 'User',
        resourceId: u.scimUserId,
        outcome: 'applied',
      })) as never[],
    );
  } finally {
    await connection.close();
  }
}

/** Log lines a logger wrote, parsed. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { logger, lines };
}

/** Every target user document, by id, without the time it was written. */
async function allTargetUsers(models: Models) {
  const docs = await models.TargetUser.collection.find({}, { sort: { _id: 1 } }).toArray();
  return docs.map(({ updatedAt: _updatedAt, ...doc }) => doc);
}

type SourceDoc = Record<string, unknown> & { scimUserId: string; view: Record<string, unknown> & { groupIds: Types.ObjectId[] } };

const hexes = (ids: unknown) => (ids as Types.ObjectId[]).map((i) => i.toHexString());

describe('converting target users per SCIM setting into people', () => {
  const uri = testMongoUri();
  const names: string[] = [];
  const open: Connection[] = [];
  const fresh = async (prefix: string) => {
    const name = freshDatabaseName(prefix);
    names.push(name);
    await writeOldDatabase(name);
    return name;
  };
  const connect = async (dbName: string, logger?: pino.Logger): Promise<Database> => {
    const database = await connectDatabase(uri, dbName, undefined, logger);
    open.push(database.connection);
    return database;
  };
  /** The models of a database without connectDatabase's conversion and indexes: a process part-way through its start. */
  const rawModels = async (dbName: string): Promise<Models> => {
    const connection = await mongoose.createConnection(uri, { dbName, autoIndex: false, autoCreate: false }).asPromise();
    open.push(connection);
    return createModels(connection);
  };

  /** The first start's database, and what it converted: every other way of getting there must end the same. */
  let dbName: string;
  let database: Database;
  let converted: Awaited<ReturnType<typeof allTargetUsers>>;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    dbName = await fresh('people_migration');
    database = await connect(dbName, logger);
    converted = await allTargetUsers(database.models);
  });

  afterAll(async () => {
    for (const connection of open) await connection.close();
    for (const name of names) await dropDatabase(uri, name);
  });

  describe('at start', () => {
    it('makes the three graces of Acme one person with three sources, its fields from the first SCIM setting, keeping every group and custom field', async () => {
      const { TargetUser } = database.models;
      const graces = await TargetUser.collection.find({ companyId: acme, emailKey: 'grace@acme.test' }).toArray();
      expect(graces).toHaveLength(1);
      const grace = graces[0]!;
      expect(grace).toMatchObject({ origin: 'scim', firstName: 'Grace B', department: 'Research', email: 'Grace@acme.test', customFields: { costCenter: 'R&D' }, status: 'active', scimUserId: 'grace-b', createdAt: at(3) });
      expect(grace.scimSettingId.toHexString()).toBe(settingB.toHexString());
      expect(grace.sync).toEqual({ version: 6, rulesVersion: 2, lastSyncedAt: at(7) });
      expect([...grace.sourceKeys].sort()).toEqual(['grace-a', 'grace-b', 'grace-c'].map((u) => `${(u === 'grace-b' ? settingB : settingA).toHexString()}:${u}`).sort());
      expect(hexes(grace.sourceSettingIds).sort()).toEqual([settingA, settingB].map((s) => s.toHexString()).sort());
      // Shown: the groups of its active sources; the inactive source keeps its own in its view.
      expect(hexes(grace.groupIds)).toEqual([g1, g2].map((g) => g.toHexString()));
      const sources = new Map((grace.sources as SourceDoc[]).map((s) => [s.scimUserId as string, s] as const));
      expect(sources.get('grace-a')).toMatchObject({ emailKey: 'grace@acme.test', version: 4, rulesVersion: 2, deprovisionedAt: null, lastSyncedAt: at(5), createdAt: at(3) });
      expect(sources.get('grace-a')!.view).toMatchObject({ userName: 'grace.hopper', firstName: 'Grace', customFields: { office: 'Berlin' }, managerId: null });
      expect(hexes(sources.get('grace-a')!.view.groupIds)).toEqual([g1.toHexString()]);
      expect(sources.get('grace-c')).toMatchObject({ deprovisionedAt: at(9) });
      expect(sources.get('grace-c')!.view).toMatchObject({ userName: 'Grace@Acme.test', status: 'inactive', customFields: { office: 'Paris' } });
      expect(hexes(sources.get('grace-c')!.view.groupIds)).toEqual([g3.toHexString()]);
      expect(hexes(sources.get('grace-b')!.view.groupIds)).toEqual([g2.toHexString()]);
    });

    it("keeps Globex's grace, the user with no address and Ada as people of their own, and leaves nothing old", async () => {
      const { TargetUser } = database.models;
      const people = await TargetUser.collection.find({}, { sort: { emailKey: 1, companyId: 1 } }).toArray();
      expect(people.map((p) => [p.companyId.toHexString(), p.emailKey, p.sourceKeys.length])).toEqual([
        [acme.toHexString(), 'ada@acme.test', 1],
        [acme.toHexString(), 'grace@acme.test', 3],
        [globex.toHexString(), 'grace@acme.test', 1],
        [acme.toHexString(), `none:${settingA.toHexString()}:svc`, 1],
      ]);
      const globexGrace = people.find((p) => p.companyId.equals(globex))!;
      expect(hexes(globexGrace.groupIds)).toEqual([g2.toHexString()]);
      expect(await TargetUser.collection.countDocuments({ emailKey: { $exists: false } })).toBe(0);
    });

    it('leaves every sync activity line linked: its SCIM setting and user are a source of a person of its company', async () => {
      const { TargetUser, SyncActivity } = database.models;
      const activity = await SyncActivity.collection.find({}).toArray();
      expect(activity).toHaveLength(OLD_TARGET_USERS.length);
      for (const line of activity) {
        const key = `${line.scimSettingId.toHexString()}:${line.resourceId}`;
        expect(await TargetUser.collection.countDocuments({ companyId: line.companyId, sourceKeys: key })).toBe(1);
      }
    });

    it('drops the unique index per SCIM setting and builds the one per company and address', async () => {
      const indexes = await database.models.TargetUser.collection.indexes();
      expect(indexes.map((i) => i.name)).not.toContain('scimSettingId_1_scimUserId_1');
      expect(indexes.find((i) => i.name === 'companyId_1_emailKey_1')).toMatchObject({ key: { companyId: 1, emailKey: 1 }, unique: true });
    });

    it('logs a line naming the merged person and its sources, and a summary', () => {
      const merged = lines.filter((l) => l.msg === 'target users merged into one person');
      const grace = converted.find((p) => p.companyId.equals(acme) && p.emailKey === 'grace@acme.test')!;
      expect(merged).toEqual([
        expect.objectContaining({ companyId: acme.toHexString(), targetUserId: grace._id, address: 'grace@acme.test', sources: grace.sourceKeys, joinedExisting: false }),
      ]);
      expect(lines.filter((l) => l.msg === 'target users converted to people')).toEqual([
        expect.objectContaining({ targetUsers: 6, people: 4, merged: 1, alreadyConverted: 0 }),
      ]);
    });

    it('changes nothing when it runs again', async () => {
      const before = await database.models.TargetUser.collection.find({}, { sort: { _id: 1 } }).toArray();
      const again = capturingLogger();
      const second = await connect(dbName, again.logger);
      expect(await convertTargetUsersToPeople(second.models, again.logger)).toEqual({ targetUsers: 0, people: 0, merged: 0, alreadyConverted: 0 });
      expect(await second.models.TargetUser.collection.find({}, { sort: { _id: 1 } }).toArray()).toEqual(before);
      expect(again.lines).toEqual([]);
    });
  });

  it('records the conversion finished, so a later start does not search the target users again', async () => {
    const later = await rawModels(dbName);
    const findOne = jest.spyOn(later.TargetUser.collection, 'findOne');
    const indexes = jest.spyOn(later.TargetUser.collection, 'indexes');
    expect(await convertTargetUsersToPeople(later, capturingLogger().logger)).toEqual({ targetUsers: 0, people: 0, merged: 0, alreadyConverted: 0 });
    expect(findOne).not.toHaveBeenCalled();
    expect(indexes).not.toHaveBeenCalled();
  });

  it('finishes on the next start after a crash between writing the people and deleting the old target users', async () => {
    const crashedDb = await fresh('people_migration_crash');
    const crashing = await rawModels(crashedDb);
    jest.spyOn(crashing.TargetUser.collection, 'deleteMany').mockRejectedValueOnce(new Error('killed'));
    await expect(convertTargetUsersToPeople(crashing, capturingLogger().logger)).rejects.toThrow('killed');
    // Half-way: one company's people written, and still every old target user.
    expect(await crashing.TargetUser.collection.countDocuments({ emailKey: { $exists: false } })).toBe(OLD_TARGET_USERS.length);
    expect(await crashing.TargetUser.collection.countDocuments({ emailKey: { $exists: true } })).toBeGreaterThan(0);

    const restart = capturingLogger();
    const restarted = await connect(crashedDb, restart.logger);
    expect(await allTargetUsers(restarted.models)).toEqual(converted);
    const summary = restart.lines.find((l) => l.msg === 'target users converted to people');
    expect(summary).toMatchObject({ people: expect.any(Number) });
    expect(Number(summary!.targetUsers) + Number(summary!.alreadyConverted)).toBe(OLD_TARGET_USERS.length);
    expect(summary!.alreadyConverted).toBeGreaterThan(0);
  });

  it('converts once when two processes start at the same time', async () => {
    const twiceStarted = await fresh('people_migration_two');
    const [first, second] = [capturingLogger(), capturingLogger()];
    const [one] = await Promise.all([connect(twiceStarted, first.logger), connect(twiceStarted, second.logger)]);
    expect(await allTargetUsers(one.models)).toEqual(converted);
    const summaries = [...first.lines, ...second.lines].filter((l) => l.msg === 'target users converted to people');
    expect(summaries.reduce((sum, l) => sum + Number(l.targetUsers), 0)).toBe(OLD_TARGET_USERS.length);
    expect(summaries.reduce((sum, l) => sum + Number(l.alreadyConverted), 0)).toBe(0);
  });
});
