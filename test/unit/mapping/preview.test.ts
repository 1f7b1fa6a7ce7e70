import { previewSetting, PREVIEW_EXAMPLES, type CompanyGroup, type CurrentTargetUser, type PreviewInput, type StoredScimUser } from '../../../src/mapping/preview';
import type { ProjectionRules, TargetUserView } from '../../../src/mapping/project-user';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function scimUser(id: string, attributes: { department?: string; city?: string; active?: boolean; email?: string } = {}, deleted = false): StoredScimUser {
  const email = attributes.email ?? `${id}@acme.example`;
  const data = {
    userName: email,
    emails: [{ type: 'work', value: email, primary: true }],
    name: { givenName: id, familyName: 'Tester' },
    active: attributes.active ?? true,
    ...(attributes.city ? { addresses: [{ type: 'work', locality: attributes.city }] } : {}),
    ...(attributes.department ? { [ENTERPRISE]: { department: attributes.department } } : {}),
  };
  return { id, version: 1, data: JSON.stringify(data), deleted };
}

/** The target user a projection without mappings wrote for `user`, in `groupIds`. */
function projected(user: StoredScimUser, groupIds: string[], overrides: Partial<TargetUserView> = {}): CurrentTargetUser {
  const data = JSON.parse(user.data) as { userName: string; name: { givenName: string }; [ENTERPRISE]?: { department: string } };
  const view: TargetUserView = {
    userName: data.userName, externalId: null, email: data.userName, firstName: data.name.givenName, lastName: 'Tester', department: data[ENTERPRISE]?.department ?? null,
    phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: 'active', groupIds, ...overrides,
  };
  return { scimUserId: user.id, view };
}

const group = (id: string, name: string, source: CompanyGroup['source'] = 'groupBy'): CompanyGroup => ({ id, name, key: source === 'idp' ? `idp:s:${id}` : `name:${name}`, source });

const rules = (overrides: Partial<ProjectionRules> = {}): ProjectionRules => ({ rulesVersion: 2, fieldMappings: [], targetGroupId: null, groupingCriteria: 'none', groupByCustomFieldKey: null, deletePolicy: 'markDeleted', ...overrides });

const input = (overrides: Partial<PreviewInput>): PreviewInput => ({ rules: rules(), scimUsers: [], targetUsers: [], groups: [], scimGroups: [], membersElsewhere: {}, ...overrides });

describe('previewSetting', () => {
  const ada = scimUser('ada', { department: 'Engineering', city: 'Berlin' });
  const bob = scimUser('bob', { department: 'Engineering', city: 'London' });
  const cy = scimUser('cy', { department: 'Sales', city: 'Berlin' });
  const groups = [group('g-eng', 'Engineering'), group('g-sales', 'Sales'), group('g-berlin', 'Berlin', 'manual')];
  const byDepartment = [projected(ada, ['g-eng']), projected(bob, ['g-eng']), projected(cy, ['g-sales'])];

  it('finds nothing to change when the rules are the ones the target users were projected under', () => {
    const preview = previewSetting(input({ rules: rules({ groupingCriteria: 'department' }), scimUsers: [ada, bob, cy], targetUsers: byDepartment, groups }));
    expect(preview).toMatchObject({ scimUsers: 3, changed: 0, created: 0, removed: 0, unreadable: 0, fields: [], groups: [], examples: [] });
  });

  it('moves users from department groups to the groups of a mapped custom field, reusing a group of that name and creating the others', () => {
    const preview = previewSetting(
      input({
        rules: rules({ groupingCriteria: 'customField', fieldMappings: [{ scimPath: 'addresses[type eq "work"].locality', customFieldKey: 'office' }], groupByCustomFieldKey: 'office' }),
        scimUsers: [ada, bob, cy],
        targetUsers: byDepartment,
        groups,
      }),
    );
    expect(preview.changed).toBe(3);
    expect(preview.fields).toEqual([
      { field: 'customFields.office', users: 3 },
      { field: 'groups', users: 3 },
    ]);
    expect(preview.groups).toEqual([
      { groupId: 'g-berlin', name: 'Berlin', source: 'manual', gains: 2, losses: 0, membersBefore: 0, membersAfter: 2, created: false, emptied: false },
      { groupId: 'g-eng', name: 'Engineering', source: 'groupBy', gains: 0, losses: 2, membersBefore: 2, membersAfter: 0, created: false, emptied: true },
      { groupId: null, name: 'London', source: 'groupBy', gains: 1, losses: 0, membersBefore: 0, membersAfter: 1, created: true, emptied: false },
      { groupId: 'g-sales', name: 'Sales', source: 'groupBy', gains: 0, losses: 1, membersBefore: 1, membersAfter: 0, created: false, emptied: true },
    ]);
    expect(preview.examples[0]).toEqual({
      scimUserId: 'ada',
      email: 'ada@acme.example',
      kind: 'changed',
      changes: [
        { field: 'customFields.office', before: null, after: 'Berlin' },
        { field: 'groups', before: 'Engineering', after: 'Berlin' },
      ],
    });
  });

  it('does not call a group emptied while users of other settings stay in it', () => {
    const preview = previewSetting(input({ rules: rules(), scimUsers: [cy], targetUsers: [projected(cy, ['g-sales'])], groups, membersElsewhere: { 'g-sales': 4 } }));
    expect(preview.groups).toEqual([{ groupId: 'g-sales', name: 'Sales', source: 'groupBy', gains: 0, losses: 1, membersBefore: 5, membersAfter: 4, created: false, emptied: false }]);
  });

  it('puts everyone in a newly chosen group, and users without a value to group by there too', () => {
    const noDepartment = scimUser('dee');
    const preview = previewSetting(
      input({
        rules: rules({ groupingCriteria: 'department', targetGroupId: 'g-all' }),
        scimUsers: [ada, noDepartment],
        targetUsers: [projected(ada, ['g-eng']), projected(noDepartment, [])],
        groups: [...groups, group('g-all', 'Everyone', 'manual')],
      }),
    );
    // Group by wins over the chosen group for users with a department (decideGroups).
    expect(preview.changed).toBe(1);
    expect(preview.groups).toEqual([{ groupId: 'g-all', name: 'Everyone', source: 'manual', gains: 1, losses: 0, membersBefore: 0, membersAfter: 1, created: false, emptied: false }]);
  });

  it('counts users the re-sync would create, deactivate or remove, and keeps a deactivated user in its groups', () => {
    const gone = scimUser('gone', { department: 'Sales' }, true);
    const paused = scimUser('paused', { department: 'Sales', active: false });
    const preview = previewSetting(
      input({
        rules: rules({ groupingCriteria: 'department', deletePolicy: 'remove' }),
        scimUsers: [ada, gone, paused],
        targetUsers: [projected(gone, ['g-sales']), projected(paused, ['g-sales'])],
        groups,
      }),
    );
    expect(preview).toMatchObject({ created: 1, removed: 1, changed: 1, fields: [{ field: 'status', users: 1 }] });
    expect(preview.examples.map((e) => [e.scimUserId, e.kind])).toEqual([
      ['ada', 'created'],
      ['gone', 'removed'],
      ['paused', 'changed'],
    ]);
    expect(preview.groups.find((g) => g.name === 'Sales')).toMatchObject({ losses: 1, gains: 0 });
  });

  it('mirrors IdP groups, naming a target group not made yet by its SCIM group', () => {
    const preview = previewSetting(
      input({
        rules: rules({ groupingCriteria: 'idpGroups' }),
        scimUsers: [ada, bob],
        targetUsers: [projected(ada, ['g-eng']), projected(bob, ['g-eng'])],
        groups,
        scimGroups: [{ targetGroupId: 'g-mirror', displayName: 'Keepnet UK', memberIds: ['ada', 'ada'] }],
      }),
    );
    expect(preview.groups).toEqual([
      { groupId: 'g-eng', name: 'Engineering', source: 'groupBy', gains: 0, losses: 2, membersBefore: 2, membersAfter: 0, created: false, emptied: true },
      { groupId: 'g-mirror', name: 'Keepnet UK', source: 'idp', gains: 1, losses: 0, membersBefore: 0, membersAfter: 1, created: true, emptied: false },
    ]);
  });

  it('counts users whose stored data cannot be read apart: their projection fails and their target users stay', () => {
    const broken = { id: 'broken', version: 3, data: '{not json', deleted: false };
    const preview = previewSetting(input({ rules: rules({ targetGroupId: 'g-sales' }), scimUsers: [broken, cy], targetUsers: [projected(cy, ['g-sales'])], groups }));
    expect(preview).toMatchObject({ scimUsers: 2, unreadable: 1, changed: 0, groups: [] });
  });

  it(`shows at most ${PREVIEW_EXAMPLES} example users`, () => {
    const many = Array.from({ length: 25 }, (_, i) => scimUser(`u${i}`, { department: 'Sales' }));
    const preview = previewSetting(input({ rules: rules({ groupingCriteria: 'department' }), scimUsers: many, targetUsers: many.map((u) => projected(u, [])), groups }));
    expect(preview.changed).toBe(25);
    expect(preview.examples).toHaveLength(PREVIEW_EXAMPLES);
  });
});
