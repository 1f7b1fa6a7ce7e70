import { Types } from 'mongoose';
import type { PersonState } from '../../../src/mapping/people';
import { targetUsers } from '../../../src/store/target-users';
import { useFreshDatabase } from '../../support/database';

const person = (i: number, email: string, lastName = 'Before'): PersonState => ({
  id: `person-${i}`,
  emailKey: email,
  origin: 'console',
  shown: { userName: null, externalId: null, email, firstName: 'Ada', lastName, department: null, phoneNumber: null, title: null, manager: null, managerId: null, customFields: {}, status: 'active', groupIds: [] },
  manualGroupIds: [],
  sources: [],
  fieldSource: null,
  sync: { version: 0, rulesVersion: 0 },
  createdAt: 1_700_000_000_000,
});

/** How the projection writes a company's people (src/store/target-users.ts write). */
describe('targetUsers.write', () => {
  const db = useFreshDatabase('target_users_write');
  const tenant = { companyId: new Types.ObjectId(), scimSettingId: new Types.ObjectId() };
  const stored = () => db().models.TargetUser.collection.find({ companyId: tenant.companyId }).sort({ _id: 1 }).toArray();

  it('replaces changed people in place: a reader meanwhile never finds one missing', async () => {
    const people = Array.from({ length: 120 }, (_, i) => person(i, `p${i}@acme.test`));
    await targetUsers.write(db().models, tenant, { created: people, changed: [], removed: [] });
    const counts: number[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) counts.push(await db().models.TargetUser.collection.countDocuments({ companyId: tenant.companyId }));
    })();
    await targetUsers.write(db().models, tenant, { created: [], changed: people.map((p) => ({ ...p, shown: { ...p.shown, lastName: 'After' } })), removed: [] });
    writing = false;
    await reader;
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.filter((n) => n !== 120)).toEqual([]);
    expect(new Set((await stored()).map((d) => d.lastName))).toEqual(new Set(['After']));
  });

  it('writes a chain of address moves in one batch, whatever the order given', async () => {
    const a = person(900, 'x@acme.test');
    const b = person(901, 'y@acme.test');
    await targetUsers.write(db().models, tenant, { created: [a, b], changed: [], removed: [] });
    // a takes the address b leaves; listed first, its replacement is refused until b's is written.
    await targetUsers.write(db().models, tenant, { created: [person(902, 'x@acme.test')], changed: [{ ...a, emailKey: 'y@acme.test' }, { ...b, emailKey: 'z@acme.test' }], removed: [] });
    const byId = new Map((await stored()).map((d) => [String(d._id), d.emailKey]));
    expect([byId.get('person-900'), byId.get('person-901'), byId.get('person-902')]).toEqual(['y@acme.test', 'z@acme.test', 'x@acme.test']);
  });
});
