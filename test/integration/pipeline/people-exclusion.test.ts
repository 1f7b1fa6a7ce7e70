import type { Types } from 'mongoose';
import { targetUserEdits } from '../../../src/store/target-user-edits';
import { makeCompany, makeScimSetting } from '../../factories';
import { TestSystem } from '../../support/system';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { activitiesOf, createGroup, createUser, user } from './support';

jest.setTimeout(90_000);

const EXCLUDED_NOTE = 'target user excluded from SCIM management: not changed';

/**
 * README "Who is a target user", a person excluded from SCIM management, on the real services:
 * SCIM requests through the intake, projected by the worker, the exclusion written through the
 * store as the console writes it.
 */
describe('pipeline: a target user excluded from SCIM management', () => {
  let system: TestSystem;
  let companyId: Types.ObjectId;
  let entra: { id: Types.ObjectId; client: ScimClient };
  let okta: { id: Types.ObjectId; client: ScimClient };

  beforeAll(async () => {
    system = await TestSystem.start('pipeline_people_exclusion', { workers: 1 });
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    companyId = (await makeCompany(system.models))._id;
    // Entra groups by department, Okta mirrors its groups; both remove deleted users (the delete policy that removes a person).
    const e = await makeScimSetting(system.models, companyId, { name: 'Entra ID', groupingCriteria: 'department', deletePolicy: 'remove', precedence: 1 });
    const o = await makeScimSetting(system.models, companyId, { name: 'Okta', groupingCriteria: 'idpGroups', deletePolicy: 'remove', precedence: 2 });
    entra = { id: e.id, client: scimClient(system, e.token) };
    okta = { id: o.id, client: scimClient(system, o.token) };
  });

  const personAt = (emailKey: string) => system.models.TargetUser.collection.findOne({ companyId, emailKey });
  const groupNamed = async (name: string) => (await system.models.TargetGroup.collection.findOne({ companyId, name }))?._id.toHexString();
  const sorted = (ids: unknown[] | undefined) => (ids ?? []).map(String).sort();
  const expectStatus = async (answer: Promise<{ status: number }>, status: number) => expect((await answer).status).toBe(status);

  /** Bob, sent by Entra (Sales) and Okta (in "Okta Admins"), then excluded as the console does it. */
  async function excludedBob() {
    const fromEntra = await createUser(entra.client, user('bob@acme.test', { name: { givenName: 'Bob', familyName: 'Entra' }, [ENTERPRISE]: { department: 'Sales' } }));
    const fromOkta = await createUser(okta.client, user('bob@acme.test', { name: { givenName: 'Robert', familyName: 'Okta' } }));
    const admins = await createGroup(okta.client, 'Okta Admins', [fromOkta]);
    await system.idle();
    const before = (await personAt('bob@acme.test'))!;
    const excluded = await targetUserEdits.setScimExclusion(system.models, companyId, [String(before._id)], true);
    expect(excluded.changed.map((p) => p.id)).toEqual([String(before._id)]);
    const bob = (await personAt('bob@acme.test'))!;
    expect(sorted(bob.scimExclusion?.groupIds)).toEqual(sorted([await groupNamed('Sales'), await groupNamed('Okta Admins')]));
    return { bob, fromEntra, fromOkta, admins };
  }

  /** What the person shows, apart from when it was last written. */
  const shown = ({ firstName, lastName, department, status, groupIds, email, emailKey, scimSettingId, scimUserId }: Record<string, unknown>) => ({ firstName, lastName, department, status, groupIds: sorted(groupIds as unknown[]), email, emailKey, scimSettingId: String(scimSettingId), scimUserId });

  it('records what its sources send but keeps what it shows: a field change, a deactivation, a DELETE under the remove policy, a new SCIM user at its address', async () => {
    const { bob, fromEntra, fromOkta } = await excludedBob();
    await expectStatus(entra.client.patch(`/Users/${fromEntra}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Marketing' }, { op: 'replace', path: 'name.givenName', value: 'Bobby' })), 200);
    await expectStatus(okta.client.patch(`/Users/${fromOkta}`, patchOp({ op: 'replace', value: { active: false } })), 200);
    await system.idle();
    let now = (await personAt('bob@acme.test'))!;
    expect(shown(now)).toEqual(shown(bob));
    const entraSource = () => now.sources.find((s: { scimUserId: string }) => s.scimUserId === fromEntra);
    expect(entraSource()).toMatchObject({ version: 2, view: { firstName: 'Bobby', department: 'Marketing' } });
    expect(now.sources.find((s: { scimUserId: string }) => s.scimUserId === fromOkta)).toMatchObject({ view: { status: 'inactive' } });
    const lines = await activitiesOf(system, fromEntra);
    expect(lines.at(-1)).toMatchObject({ outcome: 'skipped', changes: [EXCLUDED_NOTE] });

    // A new Okta user at its address joins it; Entra's DELETE (remove policy) takes only Entra's source.
    const twin = await createUser(okta.client, user('bob-admin', { name: { givenName: 'Admin', familyName: 'Twin' }, emails: [{ primary: true, type: 'work', value: 'BOB@acme.test' }] }));
    await expectStatus(entra.client.delete(`/Users/${fromEntra}`), 204);
    await system.idle();
    now = (await personAt('bob@acme.test'))!;
    expect(shown(now)).toEqual(shown(bob));
    expect(sorted(now.sourceKeys)).toEqual(sorted([`${okta.id.toHexString()}:${fromOkta}`, `${okta.id.toHexString()}:${twin}`]));
    expect((await activitiesOf(system, twin)).map((a) => [a.outcome, a.changes])).toEqual([['skipped', [EXCLUDED_NOTE]]]);
    expect((await activitiesOf(system, fromEntra)).at(-1)).toMatchObject({ operation: `DELETE /Users/${fromEntra}`, outcome: 'skipped' });
    expect(await system.models.TargetUser.collection.countDocuments({ companyId })).toBe(1);

    // Its last sources removed too, it stays, for the console to delete.
    await expectStatus(okta.client.delete(`/Users/${fromOkta}`), 204);
    await expectStatus(okta.client.delete(`/Users/${twin}`), 204);
    await system.idle();
    now = (await personAt('bob@acme.test'))!;
    expect(now).toMatchObject({ sources: [], status: 'active', firstName: 'Bob' });
  });

  it('keeps its address when its SCIM user moves, and its groups when a mirrored group is deleted only as long as the group exists', async () => {
    const { bob, fromOkta, admins } = await excludedBob();
    await expectStatus(okta.client.patch(`/Users/${fromOkta}`, patchOp({ op: 'replace', path: 'emails', value: [{ primary: true, type: 'work', value: 'robert@acme.test' }] })), 200);
    await expectStatus(okta.client.delete(`/Groups/${admins}`), 204);
    await system.idle();
    const now = (await personAt('bob@acme.test'))!;
    expect(await personAt('robert@acme.test')).toBeNull();
    expect(now.sources.find((s: { scimUserId: string }) => s.scimUserId === fromOkta)).toMatchObject({ emailKey: 'bob@acme.test', view: { email: 'bob@acme.test' } });
    // The deleted group is gone from it; the rest it shows stays.
    expect(sorted(now.groupIds)).toEqual([await groupNamed('Sales')]);
    expect({ ...shown(now), groupIds: [] }).toEqual({ ...shown(bob), groupIds: [] });
    expect(await system.models.TargetGroup.collection.countDocuments({ companyId, name: 'Okta Admins' })).toBe(0);
  });

  it('is derived from its sources at once when managed by SCIM again', async () => {
    const { bob, fromEntra, fromOkta } = await excludedBob();
    await expectStatus(entra.client.patch(`/Users/${fromEntra}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Marketing' }, { op: 'replace', value: { active: false } })), 200);
    await expectStatus(okta.client.patch(`/Users/${fromOkta}`, patchOp({ op: 'replace', path: 'name.givenName', value: 'Rob' })), 200);
    await system.idle();
    expect(shown((await personAt('bob@acme.test'))!)).toEqual(shown(bob));

    const included = await targetUserEdits.setScimExclusion(system.models, companyId, [String(bob._id)], false);
    expect(included.changed).toHaveLength(1);
    // At once, with no projection: Entra is inactive, so Okta's fields show, and Okta's groups only.
    const now = (await personAt('bob@acme.test'))!;
    expect(now).toMatchObject({ scimExclusion: null, firstName: 'Rob', status: 'active', scimSettingId: okta.id, scimUserId: fromOkta });
    expect(sorted(now.groupIds)).toEqual([await groupNamed('Okta Admins')]);
    // And SCIM manages it again: Okta's deactivation now deactivates it.
    await expectStatus(okta.client.patch(`/Users/${fromOkta}`, patchOp({ op: 'replace', value: { active: false } })), 200);
    await system.idle();
    expect(await personAt('bob@acme.test')).toMatchObject({ status: 'inactive' });
  });
});
