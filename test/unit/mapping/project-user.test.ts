import { mapUser, planUser, type ProjectionRules, type ScimUserState } from '../../../src/mapping/project-user';

const rules = (over: Partial<ProjectionRules> = {}): ProjectionRules => ({
  rulesVersion: 1,
  fieldMappings: [],
  targetGroupId: null,
  groupingCriteria: 'none',
  groupByCustomFieldKey: null,
  deletePolicy: 'markDeleted',
  ...over,
});
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const resource = (data: object, over: Partial<ScimUserState> = {}): ScimUserState => ({ version: 1, deleted: false, data: JSON.stringify(data), ...over });
const ann = { userName: 'ann@example.com', emails: [{ value: 'ann@example.com', primary: true }], [ENTERPRISE]: { department: 'Sales' } };

function plan(r: ProjectionRules, res: ScimUserState, existing: Parameters<typeof planUser>[0]['existing'] = null, extra: Partial<Parameters<typeof planUser>[0]> = {}) {
  return planUser({ rules: r, resource: res, mapped: mapUser(r, res), existing, mirroredGroupIds: [], groupByGroupId: null, ...extra });
}

describe('a user projection plan', () => {
  it('creates a new target user with the chosen group', () => {
    const p = plan(rules({ targetGroupId: 'g1' }), resource(ann));
    expect(p).toMatchObject({ action: 'write', created: true, view: { email: 'ann@example.com', department: 'Sales', status: 'active', groupIds: ['g1'] } });
  });

  it('changes nothing when applied again to what it wrote (a replay)', () => {
    const r = rules({ groupingCriteria: 'department' });
    const first = plan(r, resource(ann), null, { groupByGroupId: 'sales' });
    if (first.action !== 'write') throw new Error('expected a write');
    expect(plan(r, resource(ann), first.view, { groupByGroupId: 'sales' })).toEqual({ action: 'none' });
  });

  it('names the fields, status and groups that changed', () => {
    const r = rules({ groupingCriteria: 'department' });
    const before = plan(r, resource(ann), null, { groupByGroupId: 'sales' });
    if (before.action !== 'write') throw new Error('expected a write');
    const moved = { ...ann, active: false, [ENTERPRISE]: { department: 'Ops' } };
    expect(plan(r, resource(moved, { version: 2 }), before.view, { groupByGroupId: 'ops' })).toMatchObject({ action: 'write', created: false, changes: ['department', 'status', 'groups'] });
  });

  it('mirrors IdP groups only when the setting mirrors them, and drops every group of a deleted user', () => {
    const mirrored = { mirroredGroupIds: ['idp2', 'idp1'] };
    expect(plan(rules({ groupingCriteria: 'idpGroups', targetGroupId: 'all' }), resource(ann), null, mirrored)).toMatchObject({ view: { groupIds: ['all', 'idp1', 'idp2'] } });
    expect(plan(rules({ groupingCriteria: 'none' }), resource(ann), null, mirrored)).toMatchObject({ view: { groupIds: [] } });
    expect(plan(rules({ groupingCriteria: 'idpGroups', targetGroupId: 'all' }), resource(ann, { deleted: true }), null, mirrored)).toMatchObject({ view: { status: 'deleted', groupIds: [] } });
  });

  it('follows the delete policy', () => {
    const deleted = resource(ann, { deleted: true, version: 2 });
    const existing = { ...mapUser(rules(), resource(ann)).user, status: 'active' as const, groupIds: [] };
    expect(plan(rules({ deletePolicy: 'remove' }), deleted, existing)).toEqual({ action: 'remove' });
    expect(plan(rules({ deletePolicy: 'remove' }), deleted, null)).toEqual({ action: 'none' });
    expect(plan(rules({ deletePolicy: 'deactivate' }), deleted, existing)).toMatchObject({ action: 'write', view: { status: 'inactive' } });
  });

  it('refuses stored data that is not JSON instead of projecting an empty user', () => {
    expect(() => mapUser(rules(), { version: 1, deleted: false, data: '{"userName": truncated' })).toThrow(SyntaxError);
  });
});
