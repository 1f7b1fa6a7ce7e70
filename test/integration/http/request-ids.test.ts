import { Writable } from 'node:stream';
import { TestSystem } from '../../support/system';
import { scimClient, patchOp, GROUP_SCHEMA, type ScimClient } from '../../support/scim-client';
import { eventually } from '../../support/eventually';
import { makeCompany, makeScimSetting, oktaUser } from '../../factories';
import { createLogger } from '../../../src/logger';

/** One id finds what an IdP call did: its answer, its log lines, its job, its sync activity. */
describe('request ids, end to end', () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let system: TestSystem;
  let idp: ScimClient;
  let scimSettingId: string;

  beforeAll(async () => {
    system = await TestSystem.start('request_ids', { logger: createLogger('info', 'test', sink) });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    const company = await makeCompany(system.models);
    const setting = await makeScimSetting(system.models, company._id, { groupingCriteria: 'idpGroups' });
    scimSettingId = setting.id.toHexString();
    idp = scimClient(system, setting.token);
  });

  const activityOf = (resourceId: string) => eventually(
    () => system.models.SyncActivity.find({ resourceId }).lean(),
    (found) => found.length > 0,
  );

  it('keeps a plain id the caller sends, and carries it to the log line, the job and the sync activity', async () => {
    const created = await idp.post('/Users', oktaUser('ada@example.com')).set('X-Request-Id', 'okta-req.42:a');
    expect(created.status).toBe(201);
    expect(created.headers['x-request-id']).toBe('okta-req.42:a');
    await system.idle();

    const [activity] = await activityOf(created.body.id);
    expect(activity).toMatchObject({ outcome: 'applied', requestId: 'okta-req.42:a' });

    const requestLine = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'okta-req.42:a');
    expect(requestLine).toMatchObject({ component: 'test', scimSettingId, pid: process.pid, host: expect.any(String), res: { status: 201 } });
    const jobLine = await eventually(async () => lines.find((l) => l.msg === 'job done' && l.requestId === 'okta-req.42:a'), Boolean);
    expect(jobLine).toMatchObject({ job: 'project-setting', scimSettingId });
  });

  it('replaces an id that is long or not plain with one of its own', async () => {
    for (const offered of ['x'.repeat(129), 'a b', '<script>', '']) {
      const created = await idp.post('/Users', oktaUser(`u${lines.length}@example.com`)).set('X-Request-Id', offered);
      expect(created.status).toBe(201);
      expect(created.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      await system.idle();
      expect((await activityOf(created.body.id))[0]?.requestId).toBe(created.headers['x-request-id']);
    }
    const plain = await idp.get('/Users');
    expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the group PATCH in the activity of the users it moved', async () => {
    const user = await idp.post('/Users', oktaUser('grace@example.com'));
    const group = await idp.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Sales' });
    await system.idle();
    const patched = await idp
      .patch(`/Groups/${group.body.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: user.body.id }] }))
      .set('X-Request-Id', 'entra-patch-7');
    expect(patched.status).toBe(204);
    await system.idle();

    const userLines = await eventually(() => system.models.SyncActivity.find({ resourceId: user.body.id }).lean(), (found) => found.length >= 2);
    expect(userLines.find((l) => l.requestId === 'entra-patch-7')).toMatchObject({ outcome: 'applied', changes: expect.arrayContaining(['groups']) });
    expect((await system.models.SyncActivity.find({ resourceId: group.body.id, requestId: 'entra-patch-7' }).lean())).toHaveLength(1);
  });
});
