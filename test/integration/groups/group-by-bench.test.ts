import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting, makeTargetGroup } from '../../factories';
import { createUsers, entraUser, scimClient, targetGroups } from './support';

jest.setTimeout(1_900_000);

const USERS = 10_000;
const DEPARTMENTS = 50;
const PARALLEL_REQUESTS = 25;
const WORKER_CONCURRENCY = 8;

// A benchmark, not a check to run on every change: minutes on FerretDB.
// eslint-disable-next-line no-restricted-properties -- the bench switch; bench/** will own it
const benchmark = process.env.BENCH === '1' ? describe : describe.skip;

/** Group by department for 10,000 new users: POSTed over HTTP in parallel, then assigned by the workers. */
benchmark('group-by assignment throughput (BENCH=1)', () => {
  let system: TestSystem;
  let server: Server;
  let companyId: Types.ObjectId;

  beforeAll(async () => {
    system = await TestSystem.start('groups_bench', { concurrency: WORKER_CONCURRENCY });
    server = system.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await system.stop();
  });

  it(`assigns ${USERS} new users to ${DEPARTMENTS} department groups`, async () => {
    companyId = (await makeCompany(system.models))._id;
    const fallback = await makeTargetGroup(system.models, companyId, 'No department');
    const { token } = await makeScimSetting(system.models, companyId, { groupingCriteria: 'department', targetGroupId: fallback._id });
    const client = scimClient(system, token, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const department = (i: number) => `Department ${String(i % DEPARTMENTS).padStart(2, '0')}`;
    const bodies = Array.from({ length: USERS }, (_, i) => entraUser(`bench${i}@example.com`, department(i)));

    const started = performance.now();
    await createUsers(client, bodies, PARALLEL_REQUESTS);
    const intakeMs = performance.now() - started;
    await system.idle(1_800_000);
    const totalMs = performance.now() - started;
    process.stdout.write(
      `\n[bench] group by department, ${USERS} new users: intake ${(intakeMs / 1000).toFixed(1)} s (${((USERS * 1000) / intakeMs).toFixed(0)} req/s, ` +
        `${PARALLEL_REQUESTS} in flight), end to end ${(totalMs / 1000).toFixed(1)} s = ${((USERS * 1000) / totalMs).toFixed(0)} users/s ` +
        `(1 worker, concurrency ${WORKER_CONCURRENCY})\n`,
    );

    const expected: Record<string, string[]> = { 'manual:No department': [] };
    for (let d = 0; d < DEPARTMENTS; d += 1) expected[`groupBy:${department(d)}`] = [];
    bodies.forEach((body, i) => expected[`groupBy:${department(i)}`]?.push(body.userName));
    for (const members of Object.values(expected)) members.sort();
    expect(await targetGroups(system, companyId)).toEqual(expected);
  });
});
