import fc from 'fast-check';
import { derivePerson, keyOfSource, placeSources, type PersonState, type SettingRank, type SourceChange } from '../../../src/mapping/people';
import { excludeFromScim, manageByScimAgain } from '../../../src/mapping/scim-exclusion';
import type { TargetUserView } from '../../../src/mapping/project-user';

const ENTRA = 'entra';
const OKTA = 'okta';

const view = (email: string | null, overrides: Partial<TargetUserView> = {}): TargetUserView => ({
  userName: email, externalId: null, email, firstName: null, lastName: null, department: null, phoneNumber: null, title: null,
  manager: null, managerId: null, customFields: {}, status: 'active', groupIds: [], ...overrides,
});

const write = (scimSettingId: string, scimUserId: string, email: string, overrides: Partial<TargetUserView> = {}, version = 2): SourceChange => ({
  kind: 'write', scimSettingId, scimUserId, emailKey: email.trim().toLowerCase(), view: view(email, overrides), version, rulesVersion: 1,
});
const remove = (scimSettingId: string, scimUserId: string): SourceChange => ({ kind: 'remove', scimSettingId, scimUserId });

const ranks = (takeOver = true): Map<string, SettingRank> => new Map([ENTRA, OKTA].map((id, order) => [id, { order, takeOverExisting: takeOver }] as const));
const rank = (id: string) => ranks().get(id) ?? { order: 99 };

let ids = 0;
/** One batch of the projection on these people. */
const place = (people: PersonState[], changes: SourceChange[], takeOver = true, now = 10_000) =>
  placeSources(people, changes, { settings: ranks(takeOver), now, newId: () => `new${(ids += 1)}` });
const after = (people: PersonState[], changes: SourceChange[], takeOver = true) => [...place(people, changes, takeOver).people.values()];

/** Bob as Entra and Okta send him, in Sales and the Okta Admins group, then excluded with a manual group of his own. */
function excludedBob(): PersonState {
  const sent = after(after([], [write(ENTRA, 'e', 'bob@acme.test', { firstName: 'Bob', department: 'Sales', groupIds: ['sales'] }, 1)]), [write(OKTA, 'o', 'bob@acme.test', { firstName: 'Robert', groupIds: ['okta-admins'] }, 1)]);
  const bob = { ...sent[0]!, manualGroupIds: ['pilot'] };
  return excludeFromScim({ ...bob, ...derivePerson(bob, rank) }, 5_000);
}

describe('placeSources: a target user excluded from SCIM management', () => {
  it('is excluded with the groups its sources give it, showing what it showed; only a person a SCIM setting sends', () => {
    const bob = excludedBob();
    expect(bob.exclusion).toEqual({ at: 5_000, groupIds: ['okta-admins', 'sales'] });
    expect(bob.shown).toMatchObject({ firstName: 'Bob', department: 'Sales', status: 'active', groupIds: ['okta-admins', 'pilot', 'sales'] });
    const typed: PersonState = { ...bob, id: 'typed', origin: 'console', sources: [], exclusion: null, fieldSource: null };
    expect(excludeFromScim(typed, 5_000)).toBe(typed);
  });

  it('records a field change of its source, but shows what it showed', () => {
    const bob = excludedBob();
    const placed = place([bob], [write(ENTRA, 'e', 'bob@acme.test', { firstName: 'Bobby', department: 'Marketing', groupIds: ['marketing'] })]);
    const now = placed.people.get(bob.id)!;
    expect(placed.placements.get('entra:e')).toEqual({ result: 'excluded', targetUserId: bob.id });
    expect(now.shown).toEqual(bob.shown);
    expect(now.sync).toEqual(bob.sync);
    expect(now.sources.find((s) => s.scimSettingId === ENTRA)).toMatchObject({ version: 2, view: { firstName: 'Bobby', department: 'Marketing', groupIds: ['marketing'] } });
    // Its sources changed, so it is written; what it shows is not.
    expect([...placed.changed]).toEqual([bob.id]);
  });

  it('stays active, in its groups, when its sources deactivate it or delete it (deactivate and markDeleted policies)', () => {
    const bob = excludedBob();
    const gone = after([bob], [write(ENTRA, 'e', 'bob@acme.test', { status: 'inactive', groupIds: ['sales'] }), write(OKTA, 'o', 'bob@acme.test', { status: 'deleted', groupIds: [] })]);
    expect(gone).toHaveLength(1);
    expect(gone[0]!.shown).toEqual(bob.shown);
    expect(gone[0]!.sources.map((s) => [s.view.status, s.deprovisionedAt])).toEqual([['inactive', 10_000], ['deleted', 10_000]]);
  });

  it('is neither deleted nor changed when its sources are removed (the remove policy), even the last one', () => {
    const bob = excludedBob();
    const oneLeft = place([bob], [remove(OKTA, 'o')]);
    expect(oneLeft.placements.get('okta:o')).toEqual({ result: 'excluded', targetUserId: bob.id });
    const noneLeft = place([...oneLeft.people.values()], [remove(ENTRA, 'e')]);
    expect(noneLeft.removed.size).toBe(0);
    expect(noneLeft.people.get(bob.id)).toMatchObject({ sources: [], shown: bob.shown, exclusion: bob.exclusion });
  });

  it('takes a new SCIM user at its address as a source without changing it, whatever take-over says', () => {
    const bob = excludedBob();
    const joined = place([bob], [write(ENTRA, 'twin', 'BOB@acme.test', { firstName: 'Admin twin', groupIds: ['admins'] })], false);
    expect(joined.placements.get('entra:twin')).toEqual({ result: 'excluded', targetUserId: bob.id });
    expect(joined.created.size).toBe(0);
    expect(joined.people.get(bob.id)!.sources.map(keyOfSource)).toEqual(['entra:e', 'okta:o', 'entra:twin']);
    expect(joined.people.get(bob.id)!.shown).toEqual(bob.shown);
    // With every source gone it still holds its address: a newcomer joins it, it is not taken over.
    const alone = after(after([bob], [remove(ENTRA, 'e'), remove(OKTA, 'o')]), [write(OKTA, 'new', 'bob@acme.test', { firstName: 'New' })], false);
    expect(alone).toEqual([expect.objectContaining({ id: bob.id, shown: bob.shown, sources: [expect.objectContaining({ scimUserId: 'new' })] })]);
  });

  it('keeps its address when its sources move, without a conflict; another person moving onto it is a conflict', () => {
    const bob = excludedBob();
    const moved = place([bob], [write(ENTRA, 'e', 'robert@acme.test'), write(OKTA, 'o', 'robert@acme.test')]);
    expect([...moved.people.values()]).toEqual([expect.objectContaining({ id: bob.id, emailKey: 'bob@acme.test', shown: bob.shown })]);
    expect(moved.placements.get('entra:e')).toEqual({ result: 'excluded', targetUserId: bob.id });
    for (const source of moved.people.get(bob.id)!.sources) expect([source.emailKey, source.view.email]).toEqual(['bob@acme.test', 'bob@acme.test']);

    const carol = after([], [write(ENTRA, 'c', 'carol@acme.test')]);
    const onto = place([bob, ...carol], [write(ENTRA, 'c', 'bob@acme.test')]);
    expect(onto.placements.get('entra:c')).toMatchObject({ result: 'conflict', reason: 'emailHeld', heldBy: bob.id });
    expect(onto.people.get(bob.id)).toEqual(bob);
  });

  it('keeps the groups its sources gave it beside the manual groups an admin gives it meanwhile', () => {
    const bob = { ...excludedBob(), manualGroupIds: ['finance'] };
    expect(derivePerson(bob, rank).shown.groupIds).toEqual(['finance', 'okta-admins', 'sales']);
  });

  it('is derived from its sources again at once when managed by SCIM again, what an admin typed giving way', () => {
    const bob = excludedBob();
    const [changed] = after([bob], [write(ENTRA, 'e', 'bob@acme.test', { firstName: 'Bobby', department: 'Marketing', groupIds: ['marketing'] }), write(OKTA, 'o', 'bob@acme.test', { status: 'inactive', groupIds: [] })]);
    const typed = { ...changed!, shown: { ...changed!.shown, title: 'Typed while excluded' } };
    const included = manageByScimAgain(typed, rank);
    expect(included.exclusion).toBeNull();
    expect(included.shown).toMatchObject({ firstName: 'Bobby', department: 'Marketing', title: null, status: 'active', groupIds: ['marketing', 'pilot'] });
    expect(included.fieldSource).toEqual({ scimSettingId: ENTRA, scimUserId: 'e' });
    expect(included.sync).toEqual({ version: 2, rulesVersion: 1 });
    // Both sources deprovisioned meanwhile: it takes the status of the last to leave.
    const [bothGone] = after([bob], [write(ENTRA, 'e', 'bob@acme.test', { status: 'inactive' }), write(OKTA, 'o', 'bob@acme.test', { status: 'deleted' })]);
    expect(manageByScimAgain(bothGone!, rank).shown.status).not.toBe('active');
    // Its sources all gone, there is nothing to derive it from: it stays as it is.
    const [alone] = after([bob], [remove(ENTRA, 'e'), remove(OKTA, 'o')]);
    expect(manageByScimAgain(alone!, rank)).toBe(alone);
  });
});

const arbitraryChange = fc.oneof(
  fc
    .record({
      setting: fc.constantFrom(ENTRA, OKTA),
      user: fc.constantFrom('e', 'o', '1', '2'),
      email: fc.constantFrom('bob@acme.test', 'BOB@acme.test', 'robert@acme.test', 'carol@acme.test'),
      status: fc.constantFrom('active', 'inactive', 'deleted'),
      department: fc.constantFrom('Sales', 'Marketing', null),
    })
    .map(({ setting, user, email, status, department }) => write(setting, user, email, { status: status as TargetUserView['status'], department, groupIds: department ? [department] : [] })),
  fc.record({ setting: fc.constantFrom(ENTRA, OKTA), user: fc.constantFrom('e', 'o', '1', '2') }).map(({ setting, user }) => remove(setting, user)),
);
const arbitraryBatches = fc.array(fc.uniqueArray(arbitraryChange, { maxLength: 6, selector: keyOfSource }), { maxLength: 6 });

describe('placeSources: an excluded target user, properties', () => {
  it('whatever its sources and others do, it shows what it showed at its address, and every SCIM user last written is recorded on one person', () => {
    fc.assert(
      fc.property(arbitraryBatches, fc.boolean(), (batches, takeOver) => {
        const bob = excludedBob();
        let people = [bob];
        for (const [i, changes] of batches.entries()) people = [...place(people, changes, takeOver, 20_000 + i).people.values()];
        const now = people.find((p) => p.id === bob.id);
        expect(now).toMatchObject({ emailKey: bob.emailKey, shown: bob.shown, exclusion: bob.exclusion, sync: bob.sync });
        const lastChange = new Map([[keyOfSource({ scimSettingId: ENTRA, scimUserId: 'e' }), 'write'], [keyOfSource({ scimSettingId: OKTA, scimUserId: 'o' }), 'write']]);
        for (const change of batches.flat()) lastChange.set(keyOfSource(change), change.kind);
        const held = people.flatMap((p) => p.sources.map(keyOfSource));
        expect(new Set(held).size).toBe(held.length);
        expect(held.sort()).toEqual([...lastChange].filter(([, kind]) => kind === 'write').map(([key]) => key).sort());
        const addresses = people.map((p) => p.emailKey);
        expect(new Set(addresses).size).toBe(addresses.length);
        for (const person of people) for (const source of person.sources) expect(source.emailKey).toBe(person.emailKey);
        // Managed by SCIM again, it shows what its sources give, as a person never excluded would.
        if (now!.sources.length > 0) {
          const included = manageByScimAgain(now!, rank);
          expect(included).toEqual({ ...now, exclusion: null, ...derivePerson({ ...now!, exclusion: null }, rank) });
          expect(included.shown.status === 'active').toBe(now!.sources.some((s) => s.view.status === 'active'));
        }
      }),
    );
  });
});
