import { changedFields, mapScimUser, type MappedTargetUser } from '../../../src/mapping';

const user = (overrides: Partial<MappedTargetUser> = {}): MappedTargetUser => ({ ...mapScimUser({}, []), ...overrides });

describe('changedFields', () => {
  it('is empty when nothing changed', () => {
    const same = user({ email: 'a@example.com', customFields: { site: 'HQ' } });
    expect(changedFields(same, { ...same, customFields: { site: 'HQ' } })).toEqual([]);
  });

  it('names changed fields in a stable order, including a case-only change', () => {
    const before = user({ email: 'a@example.com', title: 'Engineer', department: 'dept123' });
    const after = user({ email: 'b@example.com', title: 'Engineer', department: 'Dept123', active: false });
    expect(changedFields(before, after)).toEqual(['email', 'department', 'active']);
  });

  it('names added, changed and removed custom fields by key, sorted', () => {
    const before = user({ customFields: { site: 'HQ', cost: '100', gone: 'x' } });
    const after = user({ customFields: { site: 'hq', cost: '100', added: 'y' } });
    expect(changedFields(before, after)).toEqual(['customFields.added', 'customFields.gone', 'customFields.site']);
  });

  it('lists every field with a value, and active, for a new target user', () => {
    const created = user({ userName: 'jane', email: 'jane@example.com', customFields: { site: 'HQ' } });
    expect(changedFields(null, created)).toEqual(['userName', 'email', 'active', 'customFields.site']);
  });

  it('never carries values', () => {
    const before = user({ email: 'secret-before@example.com' });
    const after = user({ email: 'secret-after@example.com', customFields: { site: 'Secret HQ' } });
    expect(changedFields(before, after).join(' ')).not.toMatch(/secret/i);
  });
});
