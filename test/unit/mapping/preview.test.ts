import { derivePerson, type PersonState, type SettingRank, type SourceState } from '../../../src/mapping/people';
import { previewSetting, PREVIEW_EXAMPLES, type CompanyGroup, type PreviewInput, type StoredScimUser } from '../../../src/mapping/preview';
import type { ProjectionRules, TargetUserView } from '../../../src/mapping/project-user';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ENTRA = 'entra';
const OKTA = 'okta';

interface Attributes {
  department?: string;
  city?: string;
  active?: boolean;
  email?: string;
  first?: string;
}

function scimUser(id: string, attributes: Attributes = {}, deleted = false): StoredScimUser {
  const email = attributes.email ?? `${id}@acme.example`;
  const data = {
    userName: email,
    emails: [{ type: 'work', value: email, primary: true }],
    name: { givenName: attributes.first ?? id, familyName: 'Tester' },
    active: attributes.active ?? true,
    ...(attributes.city ? { addresses: [{ type: 'work', locality: attributes.city }] } : {}),
    ...(attributes.department ? { [ENTERPRISE]: { department: attributes.department } } : {}),
  };
  return { id, version: 1, data: JSON.stringify(data), deleted };
}

/** What a projection without mappings made of `user` for a setting, in `groupIds`. */
function viewOf(user: StoredScimUser, groupIds: string[], overrides: Partial<TargetUserView> = {}): TargetUserView {
  const data = JSON.parse(user.data) as { userName: string; active: boolean; name: { givenName: string }; [ENTERPRISE]?: { department: string } };
  return {
    userName: data.userName, externalId: null, email: data.userName, firstName: data.name.givenName, lastName: 'Tester', department: data[ENTERPRISE]?.department ?? null,
    phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: user.deleted ? 'deleted' : data.active ? 'active' : 'inactive', groupIds: [...groupIds].sort(), ...overrides,
  };
}

const source = (scimSettingId: string, user: StoredScimUser, groupIds: string[], createdAt = 1, overrides: Partial<TargetUserView> = {}): SourceState => {
  const view = viewOf(user, groupIds, overrides);
  return { scimSettingId, scimUserId: user.id, emailKey: view.email!.toLowerCase(), view, version: user.version, rulesVersion: 1, deprovisionedAt: view.status === 'active' ? null : 1, lastSyncedAt: 1, createdAt };
};

function ranks(order: string[] = [ENTRA, OKTA], takeOver: Record<string, boolean> = {}): Map<string, SettingRank> {
  return new Map(order.map((id, i) => [id, { order: i, takeOverExisting: takeOver[id] ?? true }] as const));
}

/** A target user as the projection stored it: shown fields derived from its sources in the company's order. */
function person(id: string, sources: SourceState[], manualGroupIds: string[] = [], order = ranks()): PersonState {
  const base: PersonState = { id, emailKey: sources[0]!.emailKey, origin: 'scim', shown: sources[0]!.view, manualGroupIds, sources, fieldSource: null, sync: { version: 0, rulesVersion: 0 }, createdAt: 1 };
  return { ...base, ...derivePerson(base, (s) => order.get(s) ?? { order: 99 }) };
}

const consolePerson = (id: string, email: string, manualGroupIds: string[] = []): PersonState => ({
  id, emailKey: email, origin: 'console', manualGroupIds, sources: [], fieldSource: null, sync: { version: 0, rulesVersion: 0 }, createdAt: 1,
  shown: { userName: null, externalId: null, email, firstName: 'Typed', lastName: null, department: null, phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: 'active', groupIds: manualGroupIds },
});

/** One person per user, sent by `setting` alone. */
const alone = (setting: string, users: StoredScimUser[], groups: (u: StoredScimUser) => string[]) => users.map((u) => person(`t-${u.id}`, [source(setting, u, groups(u))]));

const group = (id: string, name: string, groupSource: CompanyGroup['source'] = 'groupBy'): CompanyGroup => ({ id, name, key: groupSource === 'idp' ? `idp:s:${id}` : `name:${name}`, source: groupSource });

const rules = (overrides: Partial<ProjectionRules> = {}): ProjectionRules => ({ rulesVersion: 2, fieldMappings: [], targetGroupId: null, groupingCriteria: 'none', groupByCustomFieldKey: null, deletePolicy: 'markDeleted', ...overrides });

const input = (overrides: Partial<PreviewInput>): PreviewInput => ({ settingId: ENTRA, rules: rules(), ranks: ranks(), scimUsers: [], people: [], groups: [], scimGroups: [], conflicts: [], now: 5000, ...overrides });

const OFFICE = [{ scimPath: 'addresses[type eq "work"].locality', customFieldKey: 'office' }];

describe('previewSetting: one setting’s own rules', () => {
  const ada = scimUser('ada', { department: 'Engineering', city: 'Berlin' });
  const bob = scimUser('bob', { department: 'Engineering', city: 'London' });
  const cy = scimUser('cy', { department: 'Sales', city: 'Berlin' });
  const groups = [group('g-eng', 'Engineering'), group('g-sales', 'Sales'), group('g-berlin', 'Berlin', 'manual')];
  const byDepartment = alone(ENTRA, [ada, bob, cy], (u) => [u === cy ? 'g-sales' : 'g-eng']);

  it('finds nothing to change when the rules are the ones the target users were projected under', () => {
    const preview = previewSetting(input({ rules: rules({ groupingCriteria: 'department' }), scimUsers: [ada, bob, cy], people: byDepartment, groups }));
    expect(preview).toMatchObject({ scimUsers: 3, changed: 0, created: 0, removed: 0, unreadable: 0, tookOver: [], conflicts: { appear: [], resolved: [], stay: 0 }, fields: [], masked: [], groups: [], examples: [] });
  });

  it('moves target users from department groups to the groups of a mapped custom field, reusing a group of that name and creating the others', () => {
    const preview = previewSetting(input({ rules: rules({ groupingCriteria: 'customField', fieldMappings: OFFICE, groupByCustomFieldKey: 'office' }), scimUsers: [ada, bob, cy], people: byDepartment, groups }));
    expect(preview.changed).toBe(3);
    expect(preview.fields).toEqual([
      { field: 'customFields.office', users: 3 },
      { field: 'groups', users: 3 },
    ]);
    const none = { kept: 0, created: false, emptied: false };
    expect(preview.groups).toEqual([
      { ...none, groupId: 'g-berlin', name: 'Berlin', source: 'manual', gains: 2, losses: 0, membersBefore: 0, membersAfter: 2 },
      { ...none, groupId: 'g-eng', name: 'Engineering', source: 'groupBy', gains: 0, losses: 2, membersBefore: 2, membersAfter: 0, emptied: true },
      { ...none, groupId: null, name: 'London', source: 'groupBy', gains: 1, losses: 0, membersBefore: 0, membersAfter: 1, created: true },
      { ...none, groupId: 'g-sales', name: 'Sales', source: 'groupBy', gains: 0, losses: 1, membersBefore: 1, membersAfter: 0, emptied: true },
    ]);
    expect(preview.examples[0]).toEqual({
      targetUserId: 't-ada',
      email: 'ada@acme.example',
      kind: 'changed',
      changes: [
        { field: 'customFields.office', before: null, after: 'Berlin' },
        { field: 'groups', before: 'Engineering', after: 'Berlin' },
      ],
      masked: [],
    });
  });

  it('does not call a group emptied while target users of other settings stay in it', () => {
    const okta = alone(OKTA, [scimUser('olga'), scimUser('otto')], () => ['g-sales']);
    const preview = previewSetting(input({ scimUsers: [cy], people: [...alone(ENTRA, [cy], () => ['g-sales']), ...okta], groups }));
    expect(preview.groups).toEqual([{ groupId: 'g-sales', name: 'Sales', source: 'groupBy', gains: 0, losses: 1, kept: 0, membersBefore: 3, membersAfter: 2, created: false, emptied: false }]);
  });

  it('counts target users the re-sync would create, deactivate or remove, and keeps a deactivated one in its groups', () => {
    const gone = scimUser('gone', { department: 'Sales' }, true);
    const paused = scimUser('paused', { department: 'Sales', active: false });
    const stored = [person('t-gone', [source(ENTRA, scimUser('gone', { department: 'Sales' }), ['g-sales'])]), person('t-paused', [source(ENTRA, scimUser('paused', { department: 'Sales' }), ['g-sales'])])];
    const preview = previewSetting(input({ rules: rules({ groupingCriteria: 'department', deletePolicy: 'remove' }), scimUsers: [ada, gone, paused], people: stored, groups }));
    expect(preview).toMatchObject({ created: 1, removed: 1, changed: 1, fields: [{ field: 'status', users: 1 }], statuses: [{ from: 'active', to: 'inactive', users: 1 }] });
    expect(preview.examples.map((e) => [e.email, e.kind])).toEqual([
      ['ada@acme.example', 'created'],
      ['gone@acme.example', 'removed'],
      ['paused@acme.example', 'changed'],
    ]);
    expect(preview.groups.find((g) => g.name === 'Sales')).toMatchObject({ losses: 1, gains: 0 });
  });

  it('mirrors IdP groups, naming a target group not made yet by its SCIM group', () => {
    const preview = previewSetting(
      input({ rules: rules({ groupingCriteria: 'idpGroups' }), scimUsers: [ada, bob], people: alone(ENTRA, [ada, bob], () => ['g-eng']), groups, scimGroups: [{ targetGroupId: 'g-mirror', displayName: 'Keepnet UK', memberIds: ['ada', 'ada'] }] }),
    );
    expect(preview.groups).toEqual([
      { groupId: 'g-eng', name: 'Engineering', source: 'groupBy', gains: 0, losses: 2, kept: 0, membersBefore: 2, membersAfter: 0, created: false, emptied: true },
      { groupId: 'g-mirror', name: 'Keepnet UK', source: 'idp', gains: 1, losses: 0, kept: 0, membersBefore: 0, membersAfter: 1, created: true, emptied: false },
    ]);
  });

  it('counts users whose stored data cannot be read apart: their projection fails and their target users stay', () => {
    const broken = { id: 'broken', version: 3, data: '{not json', deleted: false };
    const preview = previewSetting(input({ rules: rules({ targetGroupId: 'g-sales' }), scimUsers: [broken, cy], people: alone(ENTRA, [cy], () => ['g-sales']), groups }));
    expect(preview).toMatchObject({ scimUsers: 2, unreadable: 1, changed: 0, groups: [] });
  });

  it(`shows at most ${PREVIEW_EXAMPLES} example target users`, () => {
    const many = Array.from({ length: 25 }, (_, i) => scimUser(`u${String(i).padStart(2, '0')}`, { department: 'Sales' }));
    const preview = previewSetting(input({ rules: rules({ groupingCriteria: 'department' }), scimUsers: many, people: alone(ENTRA, many, () => []), groups }));
    expect(preview.changed).toBe(25);
    expect(preview.examples).toHaveLength(PREVIEW_EXAMPLES);
  });
});

describe('previewSetting: people several SCIM settings send', () => {
  // Alice is sent by both settings, differently; Oscar by Okta alone.
  const aliceEntra = scimUser('a-entra', { email: 'alice@acme.example', first: 'Alice', department: 'Sales', city: 'Berlin' });
  const aliceOkta = scimUser('a-okta', { email: 'alice@acme.example', first: 'Alicia', department: 'Sales', city: 'Paris' });
  const oscar = scimUser('oscar', { department: 'Sales', city: 'Paris' });
  const groups = [group('g-sales', 'Sales'), group('g-finance', 'Finance', 'manual')];
  const shared = (order = ranks()) => person('t-alice', [source(ENTRA, aliceEntra, ['g-sales'], 1), source(OKTA, aliceOkta, ['g-sales'], 2)], [], order);
  const okta = (overrides: Partial<PreviewInput>) => input({ settingId: OKTA, scimUsers: [aliceOkta, oscar], people: [shared(), person('t-oscar', [source(OKTA, oscar, ['g-sales'])])], groups, rules: rules({ groupingCriteria: 'department' }), ...overrides });

  it('a precedence swap shows the other setting’s fields on the shared target user', () => {
    const preview = previewSetting(okta({ ranks: ranks([OKTA, ENTRA]) }));
    expect(preview.changed).toBe(1);
    expect(preview.examples).toEqual([
      { targetUserId: 't-alice', email: 'alice@acme.example', kind: 'changed', masked: [], changes: [{ field: 'firstName', before: 'Alice', after: 'Alicia' }, { field: 'managedBy', before: ENTRA, after: OKTA }] },
    ]);
    expect(preview.managedBy).toEqual([{ from: ENTRA, to: OKTA, users: 1 }]);
    expect(preview.fields).toEqual([
      { field: 'firstName', users: 1 },
      { field: 'managedBy', users: 1 },
    ]);
  });

  it('a field change of this setting is masked where a setting first in the order provides the fields', () => {
    const preview = previewSetting(okta({ rules: rules({ groupingCriteria: 'department', fieldMappings: OFFICE }) }));
    // Oscar shows Okta's office; Alice shows Entra's fields, so Okta's office for her does not show.
    expect(preview.changed).toBe(1);
    expect(preview.masked).toEqual([{ field: 'customFields.office', users: 1 }]);
    expect(preview.examples).toEqual([
      { targetUserId: 't-alice', email: 'alice@acme.example', kind: 'unchanged', changes: [], masked: ['customFields.office'] },
      { targetUserId: 't-oscar', email: 'oscar@acme.example', kind: 'changed', changes: [{ field: 'customFields.office', before: null, after: 'Paris' }], masked: [] },
    ]);
    // With Okta first, the same change shows on Alice.
    const first = previewSetting(okta({ rules: rules({ groupingCriteria: 'department', fieldMappings: OFFICE }), ranks: ranks([OKTA, ENTRA]) }));
    expect(first.masked).toEqual([]);
    expect(first.examples[0]!.changes.map((c) => c.field)).toEqual(['firstName', 'customFields.office', 'managedBy']);
  });

  it('a group this setting no longer gives is kept by a target user another source or a manual group keeps in it', () => {
    const bea = scimUser('bea', { department: 'Sales' });
    const people = [shared(), person('t-oscar', [source(OKTA, oscar, ['g-sales'])]), person('t-bea', [source(OKTA, bea, ['g-sales'])], ['g-sales'])];
    const preview = previewSetting(okta({ rules: rules({ groupingCriteria: 'none' }), scimUsers: [aliceOkta, bea, oscar], people }));
    // Alice stays through Entra, Bea through her manual group; only Oscar leaves Sales.
    expect(preview.groups).toEqual([{ groupId: 'g-sales', name: 'Sales', source: 'groupBy', gains: 0, losses: 1, kept: 2, membersBefore: 3, membersAfter: 2, created: false, emptied: false }]);
    expect(preview.changed).toBe(1);
    expect(preview.examples.map((e) => [e.email, e.kind])).toEqual([['oscar@acme.example', 'changed']]);
  });

  it('a deactivation by one source does not show while another keeps the target user active', () => {
    const leaving = scimUser('a-okta', { email: 'alice@acme.example', first: 'Alicia', department: 'Sales', city: 'Paris', active: false });
    const preview = previewSetting(okta({ scimUsers: [leaving, oscar] }));
    expect(preview).toMatchObject({ changed: 0, statuses: [], masked: [{ field: 'status', users: 1 }] });
  });

  describe('take-over', () => {
    const bob = scimUser('bob', { department: 'Sales' });
    const stored = () => [consolePerson('t-bob', 'bob@acme.example', ['g-finance']), person('t-oscar', [source(OKTA, oscar, ['g-sales'])])];
    const conflict = { scimUserId: 'bob', reason: 'takeOverOff' as const, email: 'bob@acme.example', heldBy: 't-bob' };

    it('off: the console-managed target user is left alone and its conflict stays', () => {
      const preview = previewSetting(okta({ scimUsers: [bob, oscar], people: stored(), conflicts: [conflict], ranks: ranks(undefined, { [OKTA]: false }) }));
      expect(preview).toMatchObject({ changed: 0, created: 0, tookOver: [], conflicts: { appear: [], resolved: [], stay: 1 }, examples: [] });
    });

    it('off, with no conflict recorded yet: the re-sync records one', () => {
      const preview = previewSetting(okta({ scimUsers: [bob, oscar], people: stored(), ranks: ranks(undefined, { [OKTA]: false }) }));
      expect(preview.conflicts).toEqual({ appear: [{ ...conflict, heldByEmail: 'bob@acme.example' }], resolved: [], stay: 0 });
    });

    it('on: the SCIM user takes the target user over, its manual groups kept, and the conflict is resolved', () => {
      const preview = previewSetting(okta({ scimUsers: [bob, oscar], people: stored(), conflicts: [conflict] }));
      expect(preview.tookOver).toEqual([{ targetUserId: 't-bob', scimUserId: 'bob', email: 'bob@acme.example' }]);
      expect(preview.conflicts).toEqual({ appear: [], resolved: [{ ...conflict, heldByEmail: 'bob@acme.example' }], stay: 0 });
      expect(preview).toMatchObject({ changed: 1, created: 0, managedBy: [{ from: null, to: OKTA, users: 1 }] });
      const [example] = preview.examples;
      expect(example).toMatchObject({ targetUserId: 't-bob', kind: 'tookOver' });
      expect(example!.changes).toContainEqual({ field: 'firstName', before: 'Typed', after: 'bob' });
      expect(example!.changes).toContainEqual({ field: 'groups', before: 'Finance', after: 'Finance, Sales' });
      expect(preview.groups).toEqual([{ groupId: 'g-sales', name: 'Sales', source: 'groupBy', gains: 1, losses: 0, kept: 0, membersBefore: 1, membersAfter: 2, created: false, emptied: false }]);
    });
  });
});
