import { decideGroups, mapScimUser, targetGroupName, MAX_GROUP_NAME_LENGTH, type GroupDecisionInput, type MappedTargetUser } from '../../../src/mapping';

const user = (overrides: Partial<MappedTargetUser> = {}): MappedTargetUser => ({ ...mapScimUser({}, []), ...overrides });
const withDepartment = user({ department: 'Sales', customFields: { site: 'London' } });
const withoutValues = user();

const decide = (overrides: Partial<GroupDecisionInput>) =>
  decideGroups({ criteria: 'none', chosenTargetGroup: true, user: withDepartment, status: 'active', ...overrides });

describe('decideGroups', () => {
  it('without group by, puts everyone in the chosen group, or in none ("People")', () => {
    expect(decide({})).toEqual({ chosenGroup: true, groupByName: null });
    expect(decide({ chosenTargetGroup: false })).toEqual({ chosenGroup: false, groupByName: null });
  });

  it('groups by department, only into the department group', () => {
    expect(decide({ criteria: 'department' })).toEqual({ chosenGroup: false, groupByName: 'Sales' });
  });

  it('groups by a custom field', () => {
    expect(decide({ criteria: 'customField', groupByCustomFieldKey: 'site' })).toEqual({ chosenGroup: false, groupByName: 'London' });
  });

  it.each([
    ['department', undefined],
    ['customField', 'site'],
    ['customField', 'other'],
    ['customField', null],
    ['customField', 'constructor'],
  ] as const)('falls back to the chosen group (or none) when %s %s has no value', (criteria, key) => {
    const base = { criteria, groupByCustomFieldKey: key, user: criteria === 'department' ? withoutValues : user({ department: 'Sales' }) };
    expect(decide(base)).toEqual({ chosenGroup: true, groupByName: null });
    expect(decide({ ...base, chosenTargetGroup: false })).toEqual({ chosenGroup: false, groupByName: null });
  });

  it('with mirrored IdP groups, keeps everyone in the chosen group only', () => {
    expect(decide({ criteria: 'idpGroups' })).toEqual({ chosenGroup: true, groupByName: null });
    expect(decide({ criteria: 'idpGroups', chosenTargetGroup: false })).toEqual({ chosenGroup: false, groupByName: null });
  });

  it('takes a deleted user out of every group', () => {
    for (const criteria of ['none', 'department', 'customField', 'idpGroups'] as const) {
      expect(decide({ criteria, groupByCustomFieldKey: 'site', status: 'deleted' })).toEqual({ chosenGroup: false, groupByName: null });
    }
  });

  it('keeps an inactive user in its groups', () => {
    expect(decide({ status: 'inactive' })).toEqual({ chosenGroup: true, groupByName: null });
    expect(decide({ criteria: 'department', status: 'inactive' })).toEqual({ chosenGroup: false, groupByName: 'Sales' });
  });

  it('names the group by the trimmed value in its exact case', () => {
    const custom = user({ customFields: { site: '  new York ' } });
    expect(decide({ criteria: 'customField', groupByCustomFieldKey: 'site', user: custom }).groupByName).toBe('new York');
    expect(decide({ criteria: 'customField', groupByCustomFieldKey: 'site', user: user({ customFields: { site: '   ' } }) })).toEqual({
      chosenGroup: true,
      groupByName: null,
    });
  });
});

describe('targetGroupName', () => {
  it('keeps names up to the limit as they are', () => {
    const exact = 'd'.repeat(MAX_GROUP_NAME_LENGTH);
    expect(targetGroupName(exact)).toBe(exact);
    expect(targetGroupName('')).toBeNull();
    expect(targetGroupName(null)).toBeNull();
  });

  it('cuts longer names deterministically and keeps different values apart', () => {
    const long = `${'x'.repeat(300)}A`;
    const other = `${'x'.repeat(300)}B`;
    const name = targetGroupName(long);
    expect(name).toHaveLength(MAX_GROUP_NAME_LENGTH);
    expect(name).toBe(targetGroupName(long));
    expect(name).not.toBe(targetGroupName(other));
    expect(name?.startsWith('x'.repeat(200))).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    for (let pad = 0; pad < 4; pad += 1) {
      const name = targetGroupName(`${'a'.repeat(pad)}${'😀'.repeat(200)}`) ?? '';
      expect(name.length).toBeLessThanOrEqual(MAX_GROUP_NAME_LENGTH);
      expect(name).toBe(Buffer.from(name, 'utf8').toString('utf8'));
    }
  });
});
