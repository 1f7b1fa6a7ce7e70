import path from 'node:path';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { Types } from 'mongoose';
import { Redis } from 'ioredis';
import { startServices } from '../dev/services';
import { connectDatabase, type Database } from '../src/db/connect';
import { createScimSetting } from '../src/settings/scim-settings';
import { freePort } from '../dev/services/free-port';
import { createLogger } from '../src/logger';
import { defaultQueueNames, Producer } from '../src/queue/producer';
import { startResync } from '../admin/scim-settings/settings-service';
import { rawBulkUpserts, rawInsertMany } from './floors';
import { createUsers, scim, sustainedCreates, WIDTH, type Intake } from './scim-load';
import { RssSampler } from './rss';
import { build } from '../scripts/procfile';
import { startProcess, stopProcess, waitForHttp } from './processes';
import { printTable, type Row } from './report';

/**
 * `npm run bench` (`-- --quick` for a tenth of the sizes): the real web and worker processes on
 * the embedded services, driven over HTTP like an IdP. Every figure is a ratio to a floor
 * measured in the same run on the same database: absolute numbers mean little on a shared box.
 * Prints the table and writes it to bench/last-run.json.
 */
const quick = process.argv.includes('--quick');
const scale = (n: number) => (quick ? Math.max(100, Math.round(n / 10)) : n);
const SIZES = {
  raw: scale(3_000),
  small: scale(1_000),
  chunk: scale(3_000),
  resync: scale(20_000),
  large: scale(50_000),
  members: scale(10_000),
  settingsForWorkers: 4,
  usersPerSetting: scale(2_500),
  sustainedSeconds: quick ? 5 : 10,
};
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  log('building dist/ (the Procfile runs compiled JavaScript)');
  build();
  const services = await startServices({ dataDir: path.join(__dirname, '..', '.cache', 'bench-services'), log, purpose: 'test' });
  const dbName = `bench_${process.pid}_${Date.now()}`;
  const mongoUri = new URL(services.mongoUri);
  mongoUri.pathname = `/${dbName}`;
  const prefix = `bench${process.pid}`;
  const env = { MONGODB_URI: mongoUri.toString(), REDIS_URL: services.redisUrl, QUEUE_PREFIX: prefix, NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(32) };
  const children = new Map<string, ChildProcess>();
  const rss = new RssSampler(() => new Map([...children].filter(([name]) => name !== 'floor').map(([name, child]) => [name, child.pid])));
  let database: Database | undefined;
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
  const producer = new Producer(redis, defaultQueueNames, prefix, createLogger('warn', 'bench'));
  try {
    database = await connectDatabase(mongoUri.toString());
    const { models } = database;
    const db = database.connection.db!;
    const company = await models.Company.create({ name: 'Bench company' });
    const title = await models.CustomField.create({ companyId: company._id, key: 'title', name: 'Title' });

    const workerLog = path.join(__dirname, '..', '.cache', `bench-worker-${process.pid}.log`);
    log(`worker log lines (info: each projection batch's step timings) in ${workerLog}`);
    const startWorker = async (name: string) => {
      const port = await freePort();
      children.set(name, startProcess('worker', { ...env, WORKER_HEALTH_PORT: String(port) }, [], workerLog));
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    };
    const stopWorker = async (name: string) => {
      await stopProcess(children.get(name)!);
      children.delete(name);
    };
    const webPort = await freePort();
    children.set('web', startProcess('web', { ...env, PORT: String(webPort) }));
    await waitForHttp(`http://127.0.0.1:${webPort}/healthz`);
    await startWorker('worker-1');
    const newSetting = async (name: string, rules: Partial<Parameters<typeof createScimSetting>[1]>): Promise<Intake & { id: Types.ObjectId }> => {
      const { id, token } = await createScimSetting(models, { companyId: company._id, name, ...rules });
      return { id, token, base: `http://127.0.0.1:${webPort}/scim/v2` };
    };

    /**
     * The clock stops when nothing is due for these settings (due records go only once their
     * people are written) and, for a re-sync, when the setting's re-sync is stamped finished.
     * Each check is an equality FerretDB serves from an index: a count over the company's people
     * in the timed loop would be the bench's own load on the database (at 53,000 people, 17 s a count).
     */
    const settled = async (settings: Types.ObjectId[], resync?: { rulesVersion: number }, timeoutMs = 1_800_000): Promise<number> => {
      const started = performance.now();
      for (;;) {
        let due = 0;
        for (const scimSettingId of settings) due += await models.ProjectionDue.countDocuments({ scimSettingId });
        const finished = !resync || (await models.SettingResync.exists({ _id: `${settings[0]!.toHexString()}:r${resync.rulesVersion}`, finishedAt: { $ne: null } })) !== null;
        if (due === 0 && finished) return (performance.now() - started) / 1000;
        if (performance.now() - started > timeoutMs) throw new Error(`projection not done after ${timeoutMs} ms (${due} due)`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    /** After the clock: every live SCIM user of these settings has its target user at the setting's rules version, or the bench fails. */
    const verifyProjected = async (settings: Types.ObjectId[]): Promise<void> => {
      for (const scimSettingId of settings) {
        const setting = await models.ScimSetting.findById(scimSettingId).lean();
        const [live, current] = await Promise.all([
          models.ScimUserResource.countDocuments({ scimSettingId, deleted: false }),
          models.TargetUser.countDocuments({ scimSettingId, 'sync.rulesVersion': setting!.rulesVersion }),
        ]);
        if (live !== current) throw new Error(`setting ${setting!.name}: ${live} live SCIM users, ${current} target users at rules version ${setting!.rulesVersion}`);
      }
    };
    const projected = async (settings: Types.ObjectId[], resync?: { rulesVersion: number }): Promise<number> => {
      const seconds = await settled(settings, resync);
      await verifyProjected(settings);
      return seconds;
    };
    /** Creates `count` users and waits until all are projected: users per second from the first POST to the last target user. */
    const endToEnd = async (setting: Intake & { id: Types.ObjectId }, count: number, label: string) => {
      const started = performance.now();
      await createUsers(setting, count, label);
      const intakeSeconds = (performance.now() - started) / 1000;
      await settled([setting.id]);
      const seconds = (performance.now() - started) / 1000;
      await verifyProjected([setting.id]);
      return { users: count, seconds, intakeSeconds, usersPerSecond: count / seconds };
    };

    log(`${services.mongoKind}; sizes ${JSON.stringify(SIZES)}`);
    // Floors.
    const raw = await rawBulkUpserts(db, SIZES.raw);
    const rawInsert = await rawInsertMany(db, SIZES.raw);
    log(`raw bulkWrite upserts: ${raw.docsPerSecond.toFixed(0)} docs/s; raw insertMany: ${rawInsert.docsPerSecond.toFixed(0)} docs/s`);
    const floorPort = await freePort();
    children.set('floor', startProcess('floor', {}, [JSON.stringify({ port: floorPort, mongoUri: mongoUri.toString(), redisUrl: services.redisUrl, prefix: `${prefix}floor` })]));
    await waitForHttp(`http://127.0.0.1:${floorPort}/`);
    const floor = await sustainedCreates(`http://127.0.0.1:${floorPort}/Users`, null, SIZES.sustainedSeconds, 'floor');
    await stopProcess(children.get('floor')!);
    children.delete('floor');
    log(`intake floor: ${floor.requestsPerSecond.toFixed(0)} creates/s, p99 ${floor.p99Ms} ms`);

    // One setting grouped by department, measured small and then large.
    const big = await newSetting('big', { groupingCriteria: 'department' });
    await createUsers(big, SIZES.small, 'seed');
    await projected([big.id]);
    const intakeSmall = await sustainedCreates(`${big.base}/Users`, big.token, SIZES.sustainedSeconds, 'sustained');
    await projected([big.id]);
    const e2eSmall = await endToEnd(big, SIZES.chunk, 'chunk');
    log(`at ~${SIZES.small} users: intake ${intakeSmall.requestsPerSecond.toFixed(0)}/s p99 ${intakeSmall.p99Ms} ms; end to end ${e2eSmall.usersPerSecond.toFixed(0)} users/s`);

    const grow = async (to: number) => {
      const have = await models.ScimUserResource.countDocuments({ scimSettingId: big.id, deleted: false });
      if (have < to) await endToEnd(big, to - have, 'grow');
    };
    await grow(SIZES.resync);
    // A mapping change: title → the custom field "Title", grouped by it (the console's save does the same).
    const resyncUsers = await models.ScimUserResource.countDocuments({ scimSettingId: big.id, deleted: false });
    await models.ScimSetting.updateOne(
      { _id: big.id },
      { $set: { fieldMappings: [{ scimPath: 'title', customFieldId: title._id }], groupingCriteria: 'customField', groupByCustomFieldId: title._id } },
    );
    const resyncStarted = performance.now();
    await startResync(models, producer, { _id: big.id, companyId: company._id });
    const { rulesVersion } = (await models.ScimSetting.findById(big.id).lean())!;
    await settled([big.id], { rulesVersion });
    const resyncSeconds = (performance.now() - resyncStarted) / 1000;
    await verifyProjected([big.id]);
    log(`re-sync of ${resyncUsers} users: ${resyncSeconds.toFixed(1)} s`);

    await grow(SIZES.large);
    const intakeLarge = await sustainedCreates(`${big.base}/Users`, big.token, SIZES.sustainedSeconds, 'sustained');
    await projected([big.id]);
    const e2eLarge = await endToEnd(big, SIZES.chunk, 'chunk');
    const largeUsers = await models.ScimUserResource.countDocuments({ scimSettingId: big.id, deleted: false });
    log(`at ${largeUsers} users: intake ${intakeLarge.requestsPerSecond.toFixed(0)}/s p99 ${intakeLarge.p99Ms} ms; end to end ${e2eLarge.usersPerSecond.toFixed(0)} users/s`);

    // One PATCH adding every user of a mirroring setting to one group.
    const mirror = await newSetting('mirror', { groupingCriteria: 'idpGroups' });
    const memberIds = await createUsers(mirror, SIZES.members, 'member');
    await projected([mirror.id]);
    const group = await scim(mirror, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone', members: [] });
    if (group.status !== 201) throw new Error(`POST /Groups: ${group.status}`);
    const groupId = (group.json as { id: string }).id;
    await projected([mirror.id]);
    const patchStarted = performance.now();
    const patch = await scim(mirror, 'PATCH', `/Groups/${groupId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }],
    });
    if (patch.status !== 204) throw new Error(`PATCH members: ${patch.status} ${JSON.stringify(patch.json)}`);
    const patchAnswered = (performance.now() - patchStarted) / 1000;
    await settled([mirror.id]);
    const patchSeconds = (performance.now() - patchStarted) / 1000;
    const targetGroupId = (await models.ScimGroupResource.findById(groupId).lean())!.targetGroupId;
    const inGroup = await models.TargetUser.countDocuments({ scimSettingId: mirror.id, groupIds: targetGroupId });
    if (inGroup !== memberIds.length) throw new Error(`PATCH members: ${inGroup} of ${memberIds.length} target users in the group once nothing was due`);
    log(`PATCH of ${memberIds.length} members: answered in ${patchAnswered.toFixed(1)} s, on every target user after ${patchSeconds.toFixed(1)} s`);

    // Projection alone (the writes already stored), several settings, one worker process and then two.
    const projectionAlone = async (workers: number) => {
      for (const name of [...children.keys()].filter((n) => n.startsWith('worker'))) await stopWorker(name);
      const settings = [];
      for (let i = 0; i < SIZES.settingsForWorkers; i += 1) settings.push(await newSetting(`w${workers}-${i}`, { groupingCriteria: 'department' }));
      for (const setting of settings) await createUsers(setting, SIZES.usersPerSetting, `w${workers}`);
      const started = performance.now();
      for (let i = 1; i <= workers; i += 1) await startWorker(`worker-${i}`);
      await settled(settings.map((s) => s.id));
      const seconds = (performance.now() - started) / 1000;
      await verifyProjected(settings.map((s) => s.id));
      return { users: settings.length * SIZES.usersPerSetting, seconds, usersPerSecond: (settings.length * SIZES.usersPerSetting) / seconds };
    };
    const oneWorker = await projectionAlone(1);
    const twoWorkers = await projectionAlone(2);
    log(`projection alone: 1 worker ${oneWorker.usersPerSecond.toFixed(0)} users/s, 2 workers ${twoWorkers.usersPerSecond.toFixed(0)} users/s`);
    const peaks = rss.stop();

    const rows: Row[] = [
      { figure: `end-to-end projection: ${SIZES.chunk} creates grouped by department (~${SIZES.small} users in the setting)`, result: `${e2eSmall.usersPerSecond.toFixed(0)} users/s`, floor: `raw bulkWrite ${raw.docsPerSecond.toFixed(0)} docs/s`, ratio: e2eSmall.usersPerSecond / raw.docsPerSecond, goal: '≥ 0.5' },
      { figure: `projection alone: ${oneWorker.users} stored creates over ${SIZES.settingsForWorkers} settings, one worker`, result: `${oneWorker.usersPerSecond.toFixed(0)} users/s`, floor: 'raw bulkWrite', ratio: oneWorker.usersPerSecond / raw.docsPerSecond, goal: '—' },
      { figure: 'projection alone vs raw insertMany of the same documents', result: `${oneWorker.usersPerSecond.toFixed(0)} users/s`, floor: `raw insertMany ${rawInsert.docsPerSecond.toFixed(0)} docs/s`, ratio: oneWorker.usersPerSecond / rawInsert.docsPerSecond, goal: '—' },
      { figure: `re-sync of ${resyncUsers} users after a mapping change`, result: `${resyncSeconds.toFixed(1)} s (${(resyncUsers / resyncSeconds).toFixed(0)} users/s)`, floor: 'raw bulkWrite', ratio: resyncUsers / resyncSeconds / raw.docsPerSecond, goal: '≥ 0.5' },
      { figure: `one PATCH adding ${memberIds.length} members, until every target user shows it`, result: `${patchSeconds.toFixed(1)} s (answered in ${patchAnswered.toFixed(1)} s)`, floor: `raw: ${(memberIds.length / raw.docsPerSecond).toFixed(1)} s`, ratio: memberIds.length / patchSeconds / raw.docsPerSecond, goal: '≥ 0.5' },
      { figure: `intake creates/s, ${WIDTH} connections, worker running (~${SIZES.small} users)`, result: `${intakeSmall.requestsPerSecond.toFixed(0)}/s, p99 ${intakeSmall.p99Ms} ms`, floor: `${floor.requestsPerSecond.toFixed(0)}/s, p99 ${floor.p99Ms} ms`, ratio: intakeSmall.requestsPerSecond / floor.requestsPerSecond, goal: '≥ 0.5' },
      { figure: 'intake p99 vs the floor p99', result: `${intakeSmall.p99Ms} ms`, floor: `${floor.p99Ms} ms`, ratio: intakeSmall.p99Ms / floor.p99Ms, goal: '≤ 2' },
      { figure: `intake at ${largeUsers} users vs at ~${SIZES.small}`, result: `${intakeLarge.requestsPerSecond.toFixed(0)}/s`, floor: `${intakeSmall.requestsPerSecond.toFixed(0)}/s`, ratio: intakeLarge.requestsPerSecond / intakeSmall.requestsPerSecond, goal: '≥ 0.8' },
      { figure: `end-to-end projection at ${largeUsers} users vs at ~${SIZES.small}`, result: `${e2eLarge.usersPerSecond.toFixed(0)} users/s`, floor: `${e2eSmall.usersPerSecond.toFixed(0)} users/s`, ratio: e2eLarge.usersPerSecond / e2eSmall.usersPerSecond, goal: '≥ 0.8' },
      { figure: 'projection alone, two worker processes vs one', result: `${twoWorkers.usersPerSecond.toFixed(0)} users/s`, floor: `${oneWorker.usersPerSecond.toFixed(0)} users/s`, ratio: twoWorkers.usersPerSecond / oneWorker.usersPerSecond, goal: '—' },
      { figure: 'peak RSS, web process', result: `${peaks.web ?? '?'} MB`, floor: '250 MB', ratio: (peaks.web ?? NaN) / 250, goal: '< 1' },
      { figure: 'peak RSS, worker process', result: `${peaks.worker ?? '?'} MB`, floor: '250 MB', ratio: (peaks.worker ?? NaN) / 250, goal: '< 1' },
    ];
    const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${services.mongoKind}, Node ${process.version}`;
    printTable(rows, machine);
    const results = { date: new Date().toISOString(), machine, quick, sizes: SIZES, rows, raw, rawInsert, floor, intakeSmall, intakeLarge, e2eSmall, e2eLarge, resync: { users: resyncUsers, seconds: resyncSeconds }, patch: { members: memberIds.length, answeredSeconds: patchAnswered, seconds: patchSeconds }, oneWorker, twoWorkers, rssPeakMb: peaks };
    writeFileSync(path.join(__dirname, quick ? 'last-quick-run.json' : 'last-run.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    rss.stop();
    await Promise.all([...children.values()].map(stopProcess));
    await producer.close().catch(() => undefined);
    redis.disconnect();
    if (database) {
      await database.connection.dropDatabase().catch(() => undefined);
      await database.connection.close();
    }
    await services.stop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
