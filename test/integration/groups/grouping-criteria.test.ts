import type { Types } from 'mongoose';
import { TestSystem } from '../../support/system';
import { makeCompany, makeCustomField, makeScimSetting, makeTargetGroup } from '../../factories';
import type { NewScimSetting } from '../../../src/settings/scim-settings';
import { ENTERPRISE, patchOp, scimClient, type ScimClient } from '../../support/scim-client';
import { apiMembers, createGroup, createUsers, entraUser, refs, targetGroups, targetUsers } from './support';

const userWithLocality = (userName: string, locality?: string) =>
  entraUser(userName, undefined, locality === undefined ? {} : { addresses: [{ type: 'work', locality, country: 'GB' }] });

/**
 * The three grouping criteria of a SCIM setting (customer docs, seeds 000 and 002), applied
 * by the workers: the exact target groups and memberships after the queues drain.
 */
describe('grouping criteria', () => {
  let system: TestSystem;
  let companyId: Types.ObjectId;

  beforeAll(async () => {
    system = await TestSystem.start('grouping_criteria');
  });
  afterAll(async () => system.stop());
  beforeEach(async () => {
    await system.freshQueues();
    companyId = (await makeCompany(system.models))._id;
  });

  const setting = async (overrides: Partial<NewScimSetting>): Promise<ScimClient> => {
    const { token } = await makeScimSetting(system.models, companyId, overrides);
    return scimClient(system, token);
  };
  const groups = async () => {
    await system.idle();
    return targetGroups(system, companyId);
  };
  const users = async () => {
    await system.idle();
    return targetUsers(system, companyId);
  };
  const patchUser = async (client: ScimClient, id: string, ...ops: Record<string, unknown>[]) => {
    const answer = await client.patch(`/Users/${id}`, patchOp(...ops));
    expect(answer.status).toBe(200);
  };

  describe('chosen target group', () => {
    it('puts every synced user in the chosen group, whatever their department', async () => {
      const chosen = await makeTargetGroup(system.models, companyId, 'Everyone');
      const client = await setting({ targetGroupId: chosen._id });
      await createUsers(client, [entraUser('ann@example.com', 'Sales'), entraUser('bob@example.com'), entraUser('cy@example.com', 'IT')]);
      expect(await groups()).toEqual({ 'manual:Everyone': ['ann@example.com', 'bob@example.com', 'cy@example.com'] });
    });

    it('leaves users standing alone (People) when no group is chosen, and makes no group', async () => {
      const client = await setting({});
      await createUsers(client, [entraUser('ann@example.com', 'Sales'), entraUser('bob@example.com')]);
      expect(await users()).toEqual({
        'ann@example.com': { status: 'active', groups: [] },
        'bob@example.com': { status: 'active', groups: [] },
      });
      expect(await groups()).toEqual({});
    });
  });

  describe('group by department', () => {
    it('gives each department its own group, reuses a manual group of that name, and falls back to the chosen group', async () => {
      const fallback = await makeTargetGroup(system.models, companyId, 'Fallback');
      await makeTargetGroup(system.models, companyId, 'Sales');
      const client = await setting({ targetGroupId: fallback._id, groupingCriteria: 'department' });
      await createUsers(client, [
        entraUser('ann@example.com', 'Sales'),
        entraUser('bob@example.com', 'Engineering'),
        entraUser('cy@example.com'),
        entraUser('dee@example.com', 'Sales'),
        entraUser('eve@example.com', '  Engineering  '),
      ]);
      expect(await groups()).toEqual({
        'manual:Fallback': ['cy@example.com'],
        'manual:Sales': ['ann@example.com', 'dee@example.com'],
        'groupBy:Engineering': ['bob@example.com', 'eve@example.com'],
      });
    });

    it('moves a user whose department changes; one that loses it falls back; an emptied group stays', async () => {
      const fallback = await makeTargetGroup(system.models, companyId, 'Fallback');
      const client = await setting({ targetGroupId: fallback._id, groupingCriteria: 'department' });
      const [ann, bob] = (await createUsers(client, [entraUser('ann@example.com', 'Sales'), entraUser('bob@example.com', 'Engineering')])) as [string, string];
      expect(await groups()).toEqual({ 'manual:Fallback': [], 'groupBy:Sales': ['ann@example.com'], 'groupBy:Engineering': ['bob@example.com'] });

      await patchUser(client, bob, { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Sales' });
      await patchUser(client, ann, { op: 'Remove', path: `${ENTERPRISE}:department` });
      expect(await groups()).toEqual({ 'manual:Fallback': ['ann@example.com'], 'groupBy:Sales': ['bob@example.com'], 'groupBy:Engineering': [] });
    });

    it('puts a user without a department in no group when none is chosen', async () => {
      const client = await setting({ groupingCriteria: 'department' });
      await createUsers(client, [entraUser('ann@example.com', 'Sales'), entraUser('bob@example.com'), entraUser('cy@example.com', '   ')]);
      expect(await users()).toEqual({
        'ann@example.com': { status: 'active', groups: ['groupBy:Sales'] },
        'bob@example.com': { status: 'active', groups: [] },
        'cy@example.com': { status: 'active', groups: [] },
      });
      expect(await groups()).toEqual({ 'groupBy:Sales': ['ann@example.com'] });
    });

    it('applies a case-only change (dept123 → Dept123) by moving the user to the group spelled the new way', async () => {
      const client = await setting({ groupingCriteria: 'department' });
      const [ann] = (await createUsers(client, [entraUser('ann@example.com', 'dept123'), entraUser('bob@example.com', 'dept123')])) as [string, string];
      await patchUser(client, ann, { op: 'replace', value: { [`${ENTERPRISE}:department`]: 'Dept123' } });
      expect(await groups()).toEqual({ 'groupBy:dept123': ['bob@example.com'], 'groupBy:Dept123': ['ann@example.com'] });
      expect((await system.models.TargetUser.findOne({ companyId, userName: 'ann@example.com' }).lean())?.department).toBe('Dept123');
    });
  });

  describe('group by a custom mapped field', () => {
    it('groups by the work locality mapped to the custom field "location", and moves users when it changes', async () => {
      const field = await makeCustomField(system.models, companyId, 'location', 'Location');
      const fallback = await makeTargetGroup(system.models, companyId, 'Elsewhere');
      const client = await setting({
        fieldMappings: [{ scimPath: 'addresses[type eq "work"].locality', customFieldId: field._id }],
        groupingCriteria: 'customField',
        groupByCustomFieldId: field._id,
        targetGroupId: fallback._id,
      });
      const [ann, , cy] = (await createUsers(client, [
        userWithLocality('ann@example.com', 'London'),
        userWithLocality('bob@example.com', 'Paris'),
        userWithLocality('cy@example.com'),
        { ...entraUser('dee@example.com', 'London'), addresses: [{ type: 'home', locality: 'Leeds' }] },
      ])) as [string, string, string, string];
      expect(await groups()).toEqual({
        'manual:Elsewhere': ['cy@example.com', 'dee@example.com'],
        'groupBy:London': ['ann@example.com'],
        'groupBy:Paris': ['bob@example.com'],
      });
      expect((await system.models.TargetUser.findOne({ companyId, userName: 'ann@example.com' }).lean())?.customFields).toEqual({ location: 'London' });

      // Entra writes the locality by a filtered path, creating the work address when it is missing.
      await patchUser(client, ann, { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Paris' });
      await patchUser(client, cy, { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Berlin' });
      expect(await groups()).toEqual({
        'manual:Elsewhere': ['dee@example.com'],
        'groupBy:London': [],
        'groupBy:Paris': ['ann@example.com', 'bob@example.com'],
        'groupBy:Berlin': ['cy@example.com'],
      });
    });
  });

  describe('mirrored IdP groups', () => {
    it('mirrors names and exact members, renames, membership changes and deletes, leaving other memberships alone', async () => {
      const everyone = await makeTargetGroup(system.models, companyId, 'All staff');
      await makeTargetGroup(system.models, companyId, 'Keepnet UK');
      const client = await setting({ groupingCriteria: 'idpGroups', targetGroupId: everyone._id });
      const [ann, bob, cy] = (await createUsers(client, ['ann', 'bob', 'cy'].map((n) => entraUser(`${n}@example.com`, 'Sales')))) as [string, string, string];
      const uk = await createGroup(client, 'Keepnet UK', [ann, bob]);
      const admins = await createGroup(client, 'Admins', [bob]);
      expect(await groups()).toEqual({
        'manual:All staff': ['ann@example.com', 'bob@example.com', 'cy@example.com'],
        'manual:Keepnet UK': [],
        'idp:Keepnet UK': ['ann@example.com', 'bob@example.com'],
        'idp:Admins': ['bob@example.com'],
      });

      // A user's own update keeps the memberships its groups give it.
      await patchUser(client, bob, { op: 'replace', path: 'name.givenName', value: 'Robert' });
      expect((await users())['bob@example.com']).toEqual({ status: 'active', groups: ['idp:Admins', 'idp:Keepnet UK', 'manual:All staff'] });

      expect((await client.patch(`/Groups/${uk}`, patchOp({ op: 'replace', path: 'displayName', value: 'Keepnet GB' }))).status).toBe(204);
      expect(
        (await client.patch(`/Groups/${uk}`, patchOp({ op: 'remove', path: `members[value eq "${ann}"]` }, { op: 'add', path: 'members', value: refs(cy) }))).status,
      ).toBe(204);
      expect((await client.delete(`/Groups/${admins}`)).status).toBe(204);
      expect(await groups()).toEqual({
        'manual:All staff': ['ann@example.com', 'bob@example.com', 'cy@example.com'],
        'manual:Keepnet UK': [],
        'idp:Keepnet GB': ['bob@example.com', 'cy@example.com'],
      });
      expect(await users()).toEqual({
        'ann@example.com': { status: 'active', groups: ['manual:All staff'] },
        'bob@example.com': { status: 'active', groups: ['idp:Keepnet GB', 'manual:All staff'] },
        'cy@example.com': { status: 'active', groups: ['idp:Keepnet GB', 'manual:All staff'] },
      });
    });

    it('does not mirror when the setting groups otherwise: SCIM groups stay in the API only', async () => {
      const client = await setting({ groupingCriteria: 'department' });
      const [ann] = (await createUsers(client, [entraUser('ann@example.com', 'Sales')])) as [string];
      const id = await createGroup(client, 'Keepnet UK', [ann]);
      expect(await apiMembers(client, id)).toEqual([ann]);
      expect(await groups()).toEqual({ 'groupBy:Sales': ['ann@example.com'] });
    });
  });

  describe('deactivated and deleted users', () => {
    it('keeps a deactivated user’s memberships (also after reactivation); a DELETEd user loses all and leaves its SCIM groups', async () => {
      const everyone = await makeTargetGroup(system.models, companyId, 'All staff');
      const client = await setting({ groupingCriteria: 'idpGroups', targetGroupId: everyone._id });
      const [ann, bob, cy] = (await createUsers(client, ['ann', 'bob', 'cy'].map((n) => entraUser(`${n}@example.com`)))) as [string, string, string];
      const uk = await createGroup(client, 'Keepnet UK', [ann, bob, cy]);
      const admins = await createGroup(client, 'Admins', [bob]);
      await system.idle();

      await patchUser(client, ann, { op: 'Replace', path: 'active', value: 'False' });
      expect(await client.delete(`/Users/${bob}`).then((r) => r.status)).toBe(204);
      expect(await apiMembers(client, uk)).toEqual([ann, cy].sort());
      expect(await apiMembers(client, admins)).toEqual([]);
      expect(await users()).toEqual({
        'ann@example.com': { status: 'inactive', groups: ['idp:Keepnet UK', 'manual:All staff'] },
        'bob@example.com': { status: 'deleted', groups: [] },
        'cy@example.com': { status: 'active', groups: ['idp:Keepnet UK', 'manual:All staff'] },
      });
      expect(await groups()).toEqual({
        'manual:All staff': ['ann@example.com', 'cy@example.com'],
        'idp:Keepnet UK': ['ann@example.com', 'cy@example.com'],
        'idp:Admins': [],
      });

      // Entra does not resend memberships when it reactivates.
      await patchUser(client, ann, { op: 'Replace', path: 'active', value: 'True' });
      expect((await users())['ann@example.com']).toEqual({ status: 'active', groups: ['idp:Keepnet UK', 'manual:All staff'] });
    });

    it('with group by department: deactivation keeps the department group, DELETE empties the user’s groups', async () => {
      const client = await setting({ groupingCriteria: 'department' });
      const [ann, bob] = (await createUsers(client, [entraUser('ann@example.com', 'Sales'), entraUser('bob@example.com', 'Sales')])) as [string, string];
      await system.idle();
      await patchUser(client, ann, { op: 'replace', value: { active: false } });
      expect(await client.delete(`/Users/${bob}`).then((r) => r.status)).toBe(204);
      expect(await users()).toEqual({
        'ann@example.com': { status: 'inactive', groups: ['groupBy:Sales'] },
        'bob@example.com': { status: 'deleted', groups: [] },
      });
    });
  });
});
