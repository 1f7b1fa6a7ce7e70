import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/user-schema';
import { pickEmail, pickManager, pickName, pickPhoneNumber } from './contact';
import { projectCustomFields, type FieldMapping } from './custom-fields';
import type { MappedTargetUser } from './mapped-target-user';
import { asRecord, booleanValue, field, text } from './values';

/**
 * Projects one stored SCIM User onto target-user fields. Pure and total: any JSON object
 * yields a result, because a worker that throws on one odd user would retry it forever.
 */
export function mapScimUser(resource: object, mappings: ReadonlyArray<FieldMapping>): MappedTargetUser {
  const user = asRecord(resource) ?? {};
  const enterprise = asRecord(field(user, ENTERPRISE_USER_SCHEMA));
  return {
    userName: text(field(user, 'userName')),
    externalId: text(field(user, 'externalId')),
    email: pickEmail(user),
    ...pickName(user),
    department: text(field(enterprise, 'department')),
    phoneNumber: pickPhoneNumber(user),
    title: text(field(user, 'title')),
    ...pickManager(enterprise),
    customFields: projectCustomFields(user, mappings),
    // Entra sends "False" on disable and OneLogin the text of {$user.active}. A missing or
    // unreadable value is not an instruction to deactivate, so it leaves the user active.
    active: booleanValue(field(user, 'active')) ?? true,
  };
}
