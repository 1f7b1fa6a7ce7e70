import { Types } from 'mongoose';
import { startResync } from '../../../admin/scim-settings/settings-service';
import { personDoc } from '../../../src/store/target-users';
import type { TargetUserView } from '../../../src/mapping/project-user';
import { makeCompany, makeScimSetting, makeTargetGroup } from '../../factories';
import { TestSystem } from '../../support/system';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { activitiesOf, createGroup, createUser, user } from './support';

jest.setTimeout(90_000);

/** README "Who is a target user", shown on the real services: the scenarios of the customer's docs/people.md. */
describe('pipeline: a target user is a person', () => {
  let system: TestSystem;
  let companyId: Types.ObjectId;
  let entra: { id: Types.ObjectId; client: ScimClient };
  let okta: { id: Types.ObjectId; client: ScimClient };

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_people', { workers: 1 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    companyId = (await makeCompany(system.models))._id;
    // Entra first in the company's order; Okta mirrors its groups.
    const e = await makeScimSetting(system.models, companyId, { name: 'Entra ID', groupingCriteria: 'department', precedence: 1 });
    const o = await makeScimSetting(system.models, companyId, { name: 'Okta', groupingCriteria: 'idpGroups', precedence: 2 });
    entra = { id: e.id, client: scimClient(system, e.token) };
    okta = { id: o.id, client: scimClient(system, o.token) };
  });

  const people = () => system.models.TargetUser.collection.find({ companyId }).toArray();
  const groupNamed = async (name: string) => (await system.models.TargetGroup.collection.findOne({ companyId, name }))!._id.toHexString();
  const sourcesOf = (person: Record<string, unknown> | undefined) => [...((person?.sourceKeys as string[] | undefined) ?? [])].sort();

  async function consolePerson(email: string, manualGroupIds: Types.ObjectId[] = []): Promise<string> {
    const view: TargetUserView = { userName: null, externalId: null, email, firstName: 'Typed', lastName: 'ByHand', department: null, phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: 'active', groupIds: manualGroupIds.map(String) };
    const id = new Types.ObjectId().toHexString();
    const person = { id, emailKey: email, origin: 'console' as const, shown: view, manualGroupIds: manualGroupIds.map(String), sources: [], fieldSource: null, sync: { version: 0, rulesVersion: 0 }, createdAt: Date.now() };
    await system.models.TargetUser.collection.insertOne(personDoc(companyId, person, new Date()) as never);
    return id;
  }

  it('takes over a console-managed person with the same address, keeping its manual groups (scenario 1)', async () => {
    const manual = await makeTargetGroup(system.models, companyId, 'Pilot group');
    const alice = await consolePerson('alice@acme.test', [manual._id]);
    const scimId = await createUser(entra.client, user('Alice@Acme.test', { [ENTERPRISE]: { department: 'Sales' } }));
    await system.idle();
    const [person, ...others] = await people();
    expect(others).toEqual([]);
    expect(person).toMatchObject({ _id: alice, origin: 'console', emailKey: 'alice@acme.test', email: 'Alice@Acme.test', firstName: 'Given', department: 'Sales', scimUserId: scimId });
    expect(person!.groupIds.map(String).sort()).toEqual([manual._id.toHexString(), await groupNamed('Sales')].sort());
    expect((await activitiesOf(system, scimId)).map((a) => a.changes)).toEqual([['took over a console-managed target user']]);
  });

  it('with take-over off leaves the console-managed person and reports a conflict until take-over is on and a re-sync ran (scenario 2)', async () => {
    await system.models.ScimSetting.updateOne({ _id: entra.id }, { $set: { takeOverExisting: false } });
    const alice = await consolePerson('alice@acme.test');
    const scimId = await createUser(entra.client, user('alice@acme.test'));
    await system.idle();
    expect(await people()).toEqual([expect.objectContaining({ _id: alice, firstName: 'Typed', sources: [] })]);
    expect(await system.models.TargetUserConflict.collection.find({ scimSettingId: entra.id }).toArray()).toEqual([
      expect.objectContaining({ scimUserId: scimId, reason: 'takeOverOff', email: 'alice@acme.test', heldBy: alice }),
    ]);
    expect(await activitiesOf(system, scimId)).toEqual([expect.objectContaining({ outcome: 'conflict', error: expect.stringContaining('does not take those over') })]);

    await system.models.ScimSetting.updateOne({ _id: entra.id }, { $set: { takeOverExisting: true } });
    await startResync(system.models, system.producer, { _id: entra.id, companyId });
    await system.idle();
    expect(await people()).toEqual([expect.objectContaining({ _id: alice, firstName: 'Given', scimUserId: scimId })]);
    expect(await system.models.TargetUserConflict.collection.countDocuments({ scimSettingId: entra.id })).toBe(0);
  });

  it('makes one person of two settings’ users: fields from the first setting, groups from both, deprovisioned source by source (scenarios 3–6)', async () => {
    const fromOkta = await createUser(okta.client, user('bob@acme.test', { name: { givenName: 'Robert', familyName: 'Okta' }, [ENTERPRISE]: { department: 'Marketing' } }));
    await createGroup(okta.client, 'Okta Admins', [fromOkta]);
    const fromEntra = await createUser(entra.client, user('Bob@Acme.test', { name: { givenName: 'Bob', familyName: 'Entra' }, [ENTERPRISE]: { department: 'Sales' } }));
    await system.idle();
    const [first, ...others] = await people();
    expect(others).toEqual([]);
    let bob = first;
    expect(sourcesOf(bob)).toEqual([`${entra.id.toHexString()}:${fromEntra}`, `${okta.id.toHexString()}:${fromOkta}`].sort());
    expect(bob).toMatchObject({ firstName: 'Bob', department: 'Sales', status: 'active', scimSettingId: entra.id });
    const sales = await groupNamed('Sales');
    const oktaAdmins = await groupNamed('Okta Admins');
    expect(bob!.groupIds.map(String).sort()).toEqual([sales, oktaAdmins].sort());
    expect((await activitiesOf(system, fromEntra)).map((a) => a.changes)).toEqual([['joined an existing target user']]);

    // Okta deactivates: its claim and its groups go; Bob stays active through Entra.
    expect((await okta.client.patch(`/Users/${fromOkta}`, patchOp({ op: 'replace', value: { active: false } }))).status).toBe(200);
    await system.idle();
    [bob] = await people();
    expect(bob).toMatchObject({ status: 'active', firstName: 'Bob' });
    expect(bob!.groupIds.map(String)).toEqual([sales]);

    // Then Entra deletes (markDeleted): no active source is left, and the last to leave decides.
    expect((await entra.client.delete(`/Users/${fromEntra}`)).status).toBe(204);
    await system.idle();
    [bob] = await people();
    expect(bob).toMatchObject({ status: 'deleted' });
    expect(sourcesOf(bob)).toHaveLength(2);
  });

  it('shows the fields of the setting that comes first once the company’s order changed and a re-sync ran', async () => {
    await createUser(okta.client, user('bob@acme.test', { [ENTERPRISE]: { department: 'Marketing' } }));
    await createUser(entra.client, user('bob@acme.test', { [ENTERPRISE]: { department: 'Sales' } }));
    await system.idle();
    expect(await people()).toEqual([expect.objectContaining({ department: 'Sales', scimSettingId: entra.id })]);
    await system.models.ScimSetting.updateOne({ _id: okta.id }, { $set: { precedence: 0 } });
    await startResync(system.models, system.producer, { _id: okta.id, companyId });
    await system.idle();
    expect(await people()).toEqual([expect.objectContaining({ department: 'Marketing', scimSettingId: okta.id })]);
  });

  it('moves a person to a free address, and never merges onto another’s address (scenarios 8, 9)', async () => {
    // Entra keeps the userName (the UPN) and changes the mail.
    const carolWith = (email: string) => user('carol.upn', { emails: [{ primary: true, type: 'work', value: email }], name: { givenName: 'Carol', familyName: 'H' } });
    const carol = await createUser(entra.client, carolWith('carol@acme.test'));
    const dave = await createUser(entra.client, user('dave@acme.test', { name: { givenName: 'Dave', familyName: 'D' } }));
    await system.idle();
    const carolId = (await system.models.TargetUser.collection.findOne({ companyId, scimUserId: carol }))!._id;

    const replace = (id: string, email: string) => entra.client.put(`/Users/${id}`, carolWith(email));
    expect((await replace(carol, 'carol.h@acme.test')).status).toBe(200);
    await system.idle();
    expect(await system.models.TargetUser.collection.findOne({ _id: carolId })).toMatchObject({ emailKey: 'carol.h@acme.test', email: 'carol.h@acme.test' });

    expect((await replace(carol, 'Dave@acme.test')).status).toBe(200);
    await system.idle();
    expect(await system.models.TargetUser.collection.findOne({ _id: carolId })).toMatchObject({ emailKey: 'carol.h@acme.test', email: 'carol.h@acme.test', lastName: 'H' });
    expect(await system.models.TargetUser.collection.findOne({ companyId, scimUserId: dave })).toMatchObject({ emailKey: 'dave@acme.test', firstName: 'Dave' });
    expect(await system.models.TargetUserConflict.collection.findOne({ scimUserId: carol })).toMatchObject({ reason: 'emailHeld', email: 'Dave@acme.test' });
    expect((await activitiesOf(system, carol)).at(-1)).toMatchObject({ outcome: 'conflict' });
    expect(await people()).toHaveLength(2);
  });

  it('keeps a SCIM user with no address as a person of its own, and joins one setting’s two users of one address (scenarios 7, 10)', async () => {
    const jdoe = await createUser(entra.client, { schemas: [user('x').schemas[0]], userName: 'jdoe', name: { givenName: 'J', familyName: 'Doe' } });
    const jdoeTwin = await createUser(okta.client, { schemas: [user('x').schemas[0]], userName: 'jdoe' });
    const grace = await createUser(entra.client, user('grace@acme.test'));
    const graceAdmin = await createUser(entra.client, user('grace-admin', { emails: [{ primary: true, type: 'work', value: 'GRACE@acme.test' }] }));
    await system.idle();
    const all = await people();
    expect(all).toHaveLength(3);
    expect(all.filter((p) => String(p.emailKey).startsWith('none:')).map((p) => p.scimUserId).sort()).toEqual([jdoe, jdoeTwin].sort());
    expect(sourcesOf(all.find((p) => p.emailKey === 'grace@acme.test'))).toEqual([grace, graceAdmin].map((id) => `${entra.id.toHexString()}:${id}`).sort());
  });
});
