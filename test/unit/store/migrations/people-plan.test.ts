import type { PersonState, SettingRank } from '../../../../src/mapping/people';
import type { TargetUserView } from '../../../../src/mapping/project-user';
import { personIdOf, planPeople, type OldTargetUser } from '../../../../src/store/migrations/people-plan';

const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const ranks = new Map<string, SettingRank>([
  [B, { order: 0, takeOverExisting: true }],
  [A, { order: 1, takeOverExisting: true }],
]);

const view = (overrides: Partial<TargetUserView>): TargetUserView => ({
  userName: null, externalId: null, email: null, firstName: null, lastName: null, department: null, phoneNumber: null, title: null,
  manager: null, managerId: null, customFields: {}, status: 'active', groupIds: [], ...overrides,
});

function old(settingId: string, scimUserId: string, overrides: Partial<TargetUserView>, times: { createdAt?: number; updatedAt?: number } = {}): OldTargetUser {
  return { id: `${settingId}:${scimUserId}`, scimSettingId: settingId, scimUserId, view: view(overrides), version: 3, rulesVersion: 2, lastSyncedAt: 500, createdAt: times.createdAt ?? 100, updatedAt: times.updatedAt ?? 400 };
}

describe('planPeople', () => {
  it('makes the target users of one address one person, its fields from the first SCIM setting in the company order, oldest creation kept', () => {
    const fromA = old(A, 'u1', { email: 'grace@acme.test', firstName: 'Grace A', customFields: { office: 'Berlin' }, groupIds: ['g1'] }, { createdAt: 50 });
    const fromB = old(B, 'u2', { email: ' GRACE@acme.test', firstName: 'Grace B', groupIds: ['g2'] }, { createdAt: 70 });
    const byUserName = old(A, 'u3', { userName: 'Grace@Acme.test', status: 'inactive', groupIds: ['g3'] }, { createdAt: 90, updatedAt: 300 });
    const plan = planPeople([byUserName, fromB, fromA], [], ranks);

    expect(plan.alreadyConverted).toEqual([]);
    expect(plan.people).toHaveLength(1);
    const [{ person, from, joined }] = plan.people as [(typeof plan.people)[0]];
    expect(joined).toBe(false);
    expect(from.map((o) => o.id)).toEqual([fromA.id, byUserName.id, fromB.id]);
    expect(person).toMatchObject({ id: personIdOf(fromA.id), emailKey: 'grace@acme.test', origin: 'scim', manualGroupIds: [], createdAt: 50 });
    expect(person.fieldSource).toEqual({ scimSettingId: B, scimUserId: 'u2' });
    // Groups of the active sources; the inactive one keeps its own in its view.
    expect(person.shown).toMatchObject({ firstName: 'Grace B', status: 'active', groupIds: ['g1', 'g2'], customFields: {} });
    expect(person.sync).toEqual({ version: 3, rulesVersion: 2 });
    expect(person.sources.map((s) => [s.scimUserId, s.emailKey, s.deprovisionedAt, s.view.groupIds])).toEqual([
      ['u1', 'grace@acme.test', null, ['g1']],
      ['u3', 'grace@acme.test', 300, ['g3']],
      ['u2', 'grace@acme.test', null, ['g2']],
    ]);
    expect(person.sources[0]!.view.customFields).toEqual({ office: 'Berlin' });
  });

  it('keeps a target user with no address alone, and gives the same ids whatever order it reads them in', () => {
    const service = old(A, 'svc', { userName: 'svc-backup' });
    const other = old(A, 'svc2', { userName: 'svc-backup-2' });
    const plan = planPeople([service, other], [], ranks);
    expect(plan.people.map((p) => p.person.emailKey)).toEqual([`none:${A}:svc`, `none:${A}:svc2`]);
    expect(planPeople([other, service], [], ranks).people.map((p) => p.person.id)).toEqual(plan.people.map((p) => p.person.id));
  });

  it('joins the person already holding the address, keeping its id, origin and the groups an admin gave it', () => {
    const existing: PersonState = {
      id: 'p1', emailKey: 'ada@acme.test', origin: 'console', shown: view({ email: 'ada@acme.test', firstName: 'Typed' }), manualGroupIds: ['gm'],
      sources: [], fieldSource: null, sync: { version: 0, rulesVersion: 0 }, createdAt: 10,
    };
    const ada = old(A, 'ada', { email: 'Ada@acme.test', firstName: 'Ada', groupIds: ['g1'] });
    const [planned] = planPeople([ada], [existing], ranks).people;
    expect(planned).toMatchObject({ joined: true, from: [ada] });
    expect(planned!.person).toMatchObject({ id: 'p1', origin: 'console', manualGroupIds: ['gm'], createdAt: 10, fieldSource: { scimSettingId: A, scimUserId: 'ada' } });
    expect(planned!.person.shown).toMatchObject({ firstName: 'Ada', groupIds: ['g1', 'gm'] });
  });

  it('only deletes a target user whose SCIM user a person already holds (a run that stopped before deleting it)', () => {
    const grace = old(A, 'u1', { email: 'grace@acme.test' });
    const [written] = planPeople([grace], [], ranks).people;
    const plan = planPeople([grace], [written!.person], ranks);
    expect(plan).toEqual({ people: [], alreadyConverted: [grace.id] });
  });
});
