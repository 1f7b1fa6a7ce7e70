import { Types } from 'mongoose';
import type { Models } from '../../../../src/models';
import { normaliseAddress } from '../../../../src/mapping/address';
import { derivePerson, type PersonState, type SourceState } from '../../../../src/mapping/people';
import type { TargetUserView } from '../../../../src/mapping/project-user';
import { personDoc } from '../../../../src/store/target-users';

export interface SourceSeed {
  settingId: string;
  scimUserId: string;
  externalId?: string;
  managerId?: string;
  manager?: string;
  groupIds?: string[];
  department?: string;
}

export interface PersonSeed {
  email: string;
  firstName?: string;
  lastName?: string;
  /** None: console-managed. The first is the one whose fields it shows. */
  sources?: SourceSeed[];
  manualGroupIds?: string[];
  customFields?: Record<string, string>;
}

const view = (seed: PersonSeed, source?: SourceSeed): TargetUserView => ({
  userName: source ? seed.email : null,
  externalId: source?.externalId ?? null,
  email: seed.email,
  firstName: seed.firstName ?? null,
  lastName: seed.lastName ?? null,
  department: source?.department ?? null,
  phoneNumber: null,
  title: null,
  manager: source?.manager ?? null,
  managerId: source?.managerId ?? null,
  customFields: seed.customFields ?? {},
  status: 'active',
  groupIds: source?.groupIds ?? [],
});

/** People as the projection stores them (src/store/target-users.ts personDoc), straight into the collection. */
export async function seedPeople(models: Models, companyId: Types.ObjectId, seeds: PersonSeed[]): Promise<string[]> {
  const now = Date.now();
  const people = seeds.map((seed, i): PersonState => {
    const sources = (seed.sources ?? []).map(
      (s, order): SourceState => ({ scimSettingId: s.settingId, scimUserId: s.scimUserId, emailKey: normaliseAddress(seed.email), view: view(seed, s), version: 1, rulesVersion: 1, deprovisionedAt: null, lastSyncedAt: now, createdAt: now + order }),
    );
    const person: PersonState = {
      id: new Types.ObjectId().toHexString(),
      emailKey: normaliseAddress(seed.email),
      origin: sources.length ? 'scim' : 'console',
      shown: view(seed),
      manualGroupIds: seed.manualGroupIds ?? [],
      sources,
      fieldSource: null,
      sync: { version: 0, rulesVersion: 0 },
      createdAt: now + i,
    };
    const order = new Map((seed.sources ?? []).map((s, index) => [s.settingId, index]));
    return { ...person, ...derivePerson(person, (id) => ({ order: order.get(id) ?? 99 })) };
  });
  await models.TargetUser.collection.insertMany(people.map((p) => personDoc(companyId, p, new Date(now))) as never[]);
  return people.map((p) => p.id);
}
