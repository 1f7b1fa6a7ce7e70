import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeScimSetting } from '../../factories';
import { patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { insertProjectedUsers, refs } from './support';

// Room for a loaded shared machine: the projection alone took 35 s on 2 busy cores (README: 42 s
// in the benchmark). The time is printed, not asserted: what is tested is that all members arrive.
jest.setTimeout(300_000);

const MEMBERS = 10_000;

/**
 * One PATCH adding 10,000 members (no cap, no dropped members: the pitfall other servers hit),
 * timed end to end: intake, queue and the mirrored group's projection.
 */
describe('a 10,000-member PATCH', () => {
  let system: TestSystem;
  let client: ScimClient;
  let companyId: Types.ObjectId;
  let settingId: Types.ObjectId;
  let userIds: string[];

  beforeAll(async () => {
    system = await TestSystem.start('groups_large');
    companyId = (await makeCompany(system.models))._id;
    const setting = await makeScimSetting(system.models, companyId, { groupingCriteria: 'idpGroups' });
    settingId = setting.id;
    client = scimClient(system, setting.token);
    userIds = await insertProjectedUsers(system, companyId, settingId, MEMBERS);
  });
  afterAll(async () => system.stop());

  it('adds every member in one request and mirrors all of them', async () => {
    const created = await client.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone at once' });
    const id = created.body.id as string;
    await system.idle();

    const started = performance.now();
    const patched = await client.patch(`/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: refs(...userIds) }));
    const intakeMs = performance.now() - started;
    expect(patched.status).toBe(204);
    await system.idle(280_000);
    const totalMs = performance.now() - started;
    process.stdout.write(`\n[bench] PATCH adding ${MEMBERS} members: intake ${intakeMs.toFixed(0)} ms, intake + projection ${totalMs.toFixed(0)} ms\n`);

    const stored = await system.models.ScimGroupResource.collection.findOne({ _id: id as never });
    expect(stored?.members).toHaveLength(MEMBERS);
    const targetGroupId = stored?.targetGroupId as Types.ObjectId;
    expect(await system.models.TargetUser.countDocuments({ scimSettingId: settingId, groupIds: targetGroupId })).toBe(MEMBERS);
    const page = await client.get(`/Groups?filter=${encodeURIComponent(`id eq "${id}"`)}`);
    expect(page.body.Resources[0].members).toHaveLength(MEMBERS);
  });
});
