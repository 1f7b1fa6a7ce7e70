import fc from 'fast-check';
import { keyOfSource, placeSources, type PersonState, type SettingRank, type SourceChange } from '../../../src/mapping/people';
import type { TargetUserView } from '../../../src/mapping/project-user';

const ENTRA = 'entra';
const OKTA = 'okta';

const view = (email: string | null, overrides: Partial<TargetUserView> = {}): TargetUserView => ({
  userName: email, externalId: null, email, firstName: null, lastName: null, department: null, phoneNumber: null, title: null,
  manager: null, managerId: null, customFields: {}, status: 'active', groupIds: [], ...overrides,
});

const write = (scimSettingId: string, scimUserId: string, email: string, overrides: Partial<TargetUserView> = {}): SourceChange => ({
  kind: 'write', scimSettingId, scimUserId, emailKey: email.trim().toLowerCase(), view: view(email, overrides), version: 1, rulesVersion: 1,
});

const consolePerson = (id: string, email: string, manualGroupIds: string[] = []): PersonState => ({
  id, emailKey: email, origin: 'console', shown: view(email, { firstName: 'Typed', groupIds: manualGroupIds }), manualGroupIds, sources: [], fieldSource: null, sync: { version: 0, rulesVersion: 0 }, createdAt: 1,
});

function ranks(takeOver: Record<string, boolean> = {}): Map<string, SettingRank> {
  return new Map([ENTRA, OKTA].map((id, order) => [id, { order, takeOverExisting: takeOver[id] ?? true }] as const));
}

/** Runs batches in turn, each on the people the one before left, as the projection does. */
function run(batches: SourceChange[][], start: PersonState[] = [], takeOver: Record<string, boolean> = {}) {
  let people = start;
  let n = 0;
  let last = placeSources([], [], { settings: ranks(), now: 0, newId: () => '' });
  for (const [i, changes] of batches.entries()) {
    last = placeSources(people, changes, { settings: ranks(takeOver), now: 1000 * (i + 1), newId: () => `p${(n += 1)}` });
    people = [...last.people.values()];
  }
  return { people, last, byEmail: (key: string) => people.filter((p) => p.emailKey === key) };
}

describe('placeSources: who is a target user', () => {
  it('a SCIM user takes over the console-managed person with its address, keeping manual groups (scenario 1)', () => {
    const { people, last } = run([[write(ENTRA, 'a', 'Alice@Acme.test', { firstName: 'Alice', groupIds: ['g-entra'] })]], [consolePerson('alice', 'alice@acme.test', ['g-manual'])]);
    expect(people).toHaveLength(1);
    expect(last.placements.get('entra:a')).toEqual({ result: 'tookOver', targetUserId: 'alice' });
    expect(people[0]).toMatchObject({ id: 'alice', origin: 'console', fieldSource: { scimSettingId: ENTRA, scimUserId: 'a' } });
    expect(people[0]!.shown).toMatchObject({ firstName: 'Alice', groupIds: ['g-entra', 'g-manual'] });
  });

  it('with take-over off leaves the console-managed person alone and reports a conflict (scenario 2)', () => {
    const { people, last } = run([[write(ENTRA, 'a', 'alice@acme.test')]], [consolePerson('alice', 'alice@acme.test')], { [ENTRA]: false });
    expect(last.placements.get('entra:a')).toMatchObject({ result: 'conflict', reason: 'takeOverOff', heldBy: 'alice', targetUserId: null });
    expect(people[0]).toMatchObject({ sources: [], shown: { firstName: 'Typed' } });
    expect(last.changed.size + last.created.size).toBe(0);
  });

  it('two settings sending one address make one person with two sources, fields from the first setting (scenarios 3, 4)', () => {
    const { people } = run([
      [write(OKTA, 'o1', 'bob@acme.test', { department: 'Marketing', groupIds: ['okta-group'] })],
      [write(ENTRA, 'e1', 'Bob@acme.test', { department: 'Sales', groupIds: ['sales'] })],
    ]);
    expect(people).toHaveLength(1);
    expect(people[0]!.sources.map(keyOfSource).sort()).toEqual(['entra:e1', 'okta:o1']);
    expect(people[0]!.shown).toMatchObject({ department: 'Sales', groupIds: ['okta-group', 'sales'] });
  });

  it('a deprovision by one source drops only its claim; the last source to leave decides the status (scenarios 5, 6)', () => {
    const both = [[write(ENTRA, 'e1', 'bob@acme.test', { groupIds: ['sales'] })], [write(OKTA, 'o1', 'bob@acme.test', { groupIds: ['okta-group'] })]];
    const oktaGone = run([...both, [write(OKTA, 'o1', 'bob@acme.test', { status: 'deleted', groupIds: [] })]]);
    expect(oktaGone.people[0]!.shown).toMatchObject({ status: 'active', groupIds: ['sales'] });
    const entraToo = run([...both, [write(OKTA, 'o1', 'bob@acme.test', { status: 'deleted', groupIds: [] })], [write(ENTRA, 'e1', 'bob@acme.test', { status: 'inactive', groupIds: ['sales'] })]]);
    expect(entraToo.people[0]!.shown).toMatchObject({ status: 'inactive', groupIds: ['sales'] });
    const removed = run([...both, [{ kind: 'remove', scimSettingId: OKTA, scimUserId: 'o1' }], [{ kind: 'remove', scimSettingId: ENTRA, scimUserId: 'e1' }]]);
    expect(removed.people).toEqual([]);
  });

  it('two SCIM users of one setting with one address are one person (scenario 7)', () => {
    const { people, last } = run([[write(ENTRA, 'u', 'grace@acme.test'), write(ENTRA, 'admin-twin', 'GRACE@acme.test ')]]);
    expect(people).toHaveLength(1);
    expect(last.placements.get('entra:admin-twin')).toMatchObject({ result: 'joined' });
  });

  it('an address change to a free address moves the same person (scenario 8)', () => {
    const { people, last } = run([[write(ENTRA, 'c', 'carol@acme.test')], [write(ENTRA, 'c', 'carol.h@acme.test')]]);
    expect(people).toEqual([expect.objectContaining({ id: 'p1', emailKey: 'carol.h@acme.test' })]);
    expect(last.placements.get('entra:c')).toEqual({ result: 'moved', targetUserId: 'p1' });
  });

  it('an address change to another person’s address is a conflict, never a merge (scenario 9)', () => {
    const { byEmail, last } = run([[write(ENTRA, 'c', 'carol@acme.test'), write(ENTRA, 'd', 'dave@acme.test', { firstName: 'Dave' })], [write(ENTRA, 'c', 'dave@acme.test', { firstName: 'Carol' })]]);
    expect(last.placements.get('entra:c')).toMatchObject({ result: 'conflict', reason: 'emailHeld', heldBy: 'p2', targetUserId: 'p1' });
    expect(byEmail('carol@acme.test')[0]!.shown).toMatchObject({ email: 'carol@acme.test', firstName: 'Carol' });
    expect(byEmail('dave@acme.test')[0]!.shown).toMatchObject({ firstName: 'Dave' });
    expect(last.changed).toEqual(new Set(['p1']));
  });

  it('a source leaves a shared person for one at its new address; two moving together move the person', () => {
    const both = [[write(ENTRA, 'e', 'bob@acme.test')], [write(OKTA, 'o', 'bob@acme.test')]];
    const split = run([...both, [write(OKTA, 'o', 'robert@acme.test')]]);
    expect(split.byEmail('bob@acme.test')[0]!.sources.map(keyOfSource)).toEqual(['entra:e']);
    expect(split.byEmail('robert@acme.test')[0]!.sources.map(keyOfSource)).toEqual(['okta:o']);
    const together = run([[write(ENTRA, 'e', 'bob@acme.test'), write(ENTRA, 'e2', 'bob@acme.test')], [write(ENTRA, 'e', 'robert@acme.test'), write(ENTRA, 'e2', 'robert@acme.test')]]);
    expect(together.people).toEqual([expect.objectContaining({ id: 'p1', emailKey: 'robert@acme.test' })]);
  });
});

/** Batches as the projection makes them: one change per SCIM user (its due records are grouped by resource). */
describe('placeSources: re-syncs', () => {
  const both = [[write(ENTRA, 'e', 'bob@acme.test', { department: 'Sales' })], [write(OKTA, 'o', 'bob@acme.test', { department: 'Marketing' })]];

  it('writes nothing when a person comes out as it went in', () => {
    const { people } = run(both);
    const again = placeSources(people, both.flat(), { settings: ranks(), now: 50_000, newId: () => 'new' });
    expect([...again.changed, ...again.created, ...again.removed]).toEqual([]);
  });

  it('re-derives a person when the company’s order of settings changed', () => {
    const { people } = run(both);
    const reversed = new Map([[OKTA, { order: 0, takeOverExisting: true }], [ENTRA, { order: 1, takeOverExisting: true }]]);
    const again = placeSources(people, both.flat(), { settings: reversed, now: 50_000, newId: () => 'new' });
    expect([...again.changed]).toEqual(['p1']);
    expect(again.people.get('p1')!.shown.department).toBe('Marketing');
  });
});

const arbitraryBatches = fc.array(
  fc.uniqueArray(
    fc.oneof(
      fc.record({ setting: fc.constantFrom(ENTRA, OKTA), user: fc.constantFrom('1', '2', '3', '4'), email: fc.constantFrom('a@x.test', 'b@x.test', 'c@x.test', 'A@x.test') }).map(({ setting, user, email }) => write(setting, user, email)),
      fc.record({ setting: fc.constantFrom(ENTRA, OKTA), user: fc.constantFrom('1', '2', '3', '4') }).map(({ setting, user }): SourceChange => ({ kind: 'remove', scimSettingId: setting, scimUserId: user })),
    ),
    { maxLength: 6, selector: (change) => keyOfSource(change) },
  ),
  { maxLength: 6 },
);

describe('placeSources: properties', () => {
  it('keeps one person per address, each SCIM user on at most one person, and every source at its person’s address', () => {
    fc.assert(
      fc.property(arbitraryBatches, fc.boolean(), (batches, takeOver) => {
        const { people } = run(batches, [consolePerson('typed', 'a@x.test')], { [ENTRA]: takeOver });
        const addresses = people.map((p) => p.emailKey);
        expect(new Set(addresses).size).toBe(addresses.length);
        const keys = people.flatMap((p) => p.sources.map(keyOfSource));
        expect(new Set(keys).size).toBe(keys.length);
        for (const person of people) for (const source of person.sources) expect(source.emailKey).toBe(person.emailKey);
      }),
    );
  });

  it('places the same batch again without a change (a replay)', () => {
    fc.assert(
      fc.property(arbitraryBatches, (batches) => {
        const { people } = run(batches);
        const last = batches.at(-1) ?? [];
        const again = placeSources(people, last.filter((c) => c.kind === 'write'), { settings: ranks(), now: 99_000, newId: () => 'new' });
        expect(again.created.size + again.removed.size).toBe(0);
      }),
    );
  });
});
