import path from 'node:path';
import autocannon from 'autocannon';
import { startServices } from '../src/services';
import { connectDatabase, type Database } from '../src/db/connect';
import { createScimSetting } from '../src/settings/scim-settings';
import { freePort } from '../src/services/free-port';
import { inParallel, percentile, round, timeSequential } from './stats';
import { startProcess, stopProcess, waitForHttp } from './processes';

/**
 * `npm run bench`: the real web and worker processes on the embedded services, measured
 * from outside over HTTP. Every figure is reported with a baseline measured in the same
 * run on the same machine, because absolute numbers mean little on a shared 2-core box.
 */
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 1000);
const WIDTH = 16;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const user = (i: number, department?: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  userName: `bench.user.${i}.${Date.now()}@example.com`,
  name: { givenName: 'Bench', familyName: `User ${i}` },
  emails: [{ primary: true, type: 'work', value: `bench.user.${i}@example.com` }],
  active: true,
  ...(department ? { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department } } : {}),
});

async function cannon(url: string, options: Partial<autocannon.Options>): Promise<number> {
  const result = await autocannon({ url, connections: 8, duration: 8, ...options });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const services = await startServices({ dataDir: path.join(__dirname, '..', '.cache', 'bench-services'), log, purpose: 'test' });
  const dbName = `bench_${process.pid}_${Date.now()}`;
  const url = new URL(services.mongoUri);
  url.pathname = `/${dbName}`;
  let database: Database | undefined;
  const children = [];
  try {
    database = await connectDatabase(url.toString());
    const { models } = database;
    const company = await models.Company.create({ name: 'Bench company' });
    const { id: settingId, token } = await createScimSetting(models, { companyId: company._id, name: 'bench', groupingCriteria: 'department' });
    const port = await freePort();
    const env = { MONGODB_URI: url.toString(), REDIS_URL: services.redisUrl, PORT: String(port), QUEUE_PREFIX: dbName, NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(32) };
    children.push(startProcess('web', env), startProcess('worker', env));
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
    const post = async (body: unknown) => {
      const res = await fetch(`${base}/scim/v2/Users`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`POST /Users: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    log(`services: ${services.mongoKind}; ${SEQUENTIAL} sequential requests, ${USERS} users for throughput`);

    // 1. Intake latency of a create, against a request that touches neither database nor queue.
    const healthz = await timeSequential(SEQUENTIAL, async () => void (await (await fetch(`${base}/healthz`)).arrayBuffer()));
    const creates = await timeSequential(SEQUENTIAL, (i) => post(user(i)));

    // 2. From the 201 to the target user in MongoDB.
    await waitUntil('sequential users projected', async () => (await models.TargetUser.countDocuments()) >= SEQUENTIAL);
    const projected = await models.TargetUser.collection.find({}, { projection: { scimUserId: 1, 'sync.lastSyncedAt': 1 } }).toArray();
    const createdAt = new Map((await models.ScimUserResource.collection.find({}, { projection: { created: 1 } }).toArray()).map((d) => [String(d._id), d.created as Date]));
    const lags = projected.map((t) => (t.sync.lastSyncedAt as Date).getTime() - createdAt.get(t.scimUserId as string)!.getTime());

    // 3. Sustained create throughput, against /healthz throughput.
    let n = SEQUENTIAL;
    const healthzRps = await cannon(`${base}/healthz`, {});
    const createRps = await cannon(`${base}/scim/v2/Users`, {
      requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: JSON.stringify(user((n += 1))) }) }],
    });

    // 4. Group by department: USERS new users over 20 departments, until all are in their group.
    await waitUntil('throughput users projected', async () => (await models.TargetUser.countDocuments()) >= (await models.ScimUserResource.countDocuments()));
    const baselineDocs = Array.from({ length: 2000 }, (_, i) => ({ i, companyId: company._id, email: `raw${i}@example.com` }));
    const rawStart = Date.now();
    await inParallel(baselineDocs, WIDTH, async (doc) => void (await database!.connection.db!.collection('bench_raw').insertOne({ ...doc })));
    const rawInsertsPerSecond = baselineDocs.length / ((Date.now() - rawStart) / 1000);
    const existing = await models.ScimUserResource.countDocuments();
    const groupByStart = Date.now();
    await inParallel(Array.from({ length: USERS }, (_, i) => i), WIDTH, (i) => post(user(1_000_000 + i, `Department ${i % 20}`)));
    const intakeDone = Date.now();
    const total = existing + USERS;
    await waitUntil('group-by users projected', async () => (await models.TargetUser.countDocuments({ department: { $ne: null } })) >= USERS);
    const groupBySeconds = (Date.now() - groupByStart) / 1000;
    const groups = await models.TargetGroup.countDocuments({ source: 'groupBy' });

    // 5. One PATCH adding every group-by user to a mirrored IdP group.
    await models.ScimSetting.updateOne({ _id: settingId }, { $set: { groupingCriteria: 'idpGroups' }, $inc: { rulesVersion: 1 } });
    const groupRes = await fetch(`${base}/scim/v2/Groups`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'All bench users', members: [] }) });
    const group = (await groupRes.json()) as { id: string };
    const memberIds = (await models.ScimUserResource.collection.find({ userName: /^bench\.user\.1\d{6}\./ }, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id));
    const patchStart = Date.now();
    const patch = await fetch(`${base}/scim/v2/Groups/${group.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'members', value: memberIds.map((value) => ({ value })) }] }),
    });
    if (patch.status !== 204) throw new Error(`PATCH members: ${patch.status} ${await patch.text()}`);
    const patchAnswered = Date.now();
    const groupDoc = await models.ScimGroupResource.findById(group.id).lean();
    await waitUntil('members projected', async () => (await models.TargetUser.countDocuments({ groupIds: groupDoc!.targetGroupId })) >= memberIds.length);
    const patchApplied = Date.now();

    const results = {
      mongo: services.mongoKind,
      createLatencyMs: { p50: round(percentile(creates, 50)), p99: round(percentile(creates, 99)) },
      healthzLatencyMs: { p50: round(percentile(healthz, 50)), p99: round(percentile(healthz, 99)) },
      createVsHealthzP50: round(percentile(creates, 50) / percentile(healthz, 50)),
      createdToProjectedMs: { p50: round(percentile(lags, 50)), p99: round(percentile(lags, 99)) },
      throughput: { createRps: round(createRps, 1), healthzRps: round(healthzRps, 1), ratio: round(createRps / healthzRps, 3) },
      groupBy: {
        users: USERS,
        groups,
        intakeSeconds: round((intakeDone - groupByStart) / 1000),
        usersPerSecond: round(USERS / groupBySeconds, 1),
        rawInsertsPerSecond: round(rawInsertsPerSecond, 1),
        ratioToRawInserts: round(USERS / groupBySeconds / rawInsertsPerSecond, 3),
      },
      patch10kMembers: { members: memberIds.length, intakeMs: patchAnswered - patchStart, appliedMs: patchApplied - patchStart },
      totalUsers: total,
    };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await Promise.all(children.map(stopProcess));
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
