import type { Types } from 'mongoose';
import type { Models } from '../src/models';
import { createScimSetting, type NewScimSetting } from '../src/settings/scim-settings';

let sequence = 0;
const next = () => (sequence += 1);

export async function makeCompany(models: Models, name = `Company ${next()}`) {
  return models.Company.create({ name });
}

export async function makeScimSetting(models: Models, companyId: Types.ObjectId, overrides: Partial<NewScimSetting> = {}) {
  return createScimSetting(models, { companyId, name: `SCIM setting ${next()}`, ...overrides });
}

export async function makeCustomField(models: Models, companyId: Types.ObjectId, key: string, name = key) {
  return models.CustomField.create({ companyId, key, name });
}

export async function makeTargetGroup(models: Models, companyId: Types.ObjectId, name: string) {
  return models.TargetGroup.create({ companyId, name, key: `name:${name}`, source: 'manual' });
}

/** A SCIM User body as Okta sends it (docs: okta-developer-docs, SCIM 2.0 reference). */
export function oktaUser(userName: string, overrides: Record<string, unknown> = {}) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId: `00u${next()}`,
    groups: [],
    password: 'never-stored-1!',
    active: true,
    ...overrides,
  };
}
