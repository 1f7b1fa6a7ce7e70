import { ScimError, type ScimType } from '../../../../src/scim/errors';
import { applyPatch, type JsonObject, type PatchOperation, type PatchResult } from '../../../../src/scim/patch';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, groupResourceType, userResourceType } from '../../../../src/scim/schema/resource-types';

export const ENTERPRISE = ENTERPRISE_USER_SCHEMA;

/** A user as Entra creates one (use-scim-to-provision-users-and-groups, Create User). */
export function entraUser(): JsonObject {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    id: 'u-1',
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User@testuser.com',
    active: true,
    emails: [{ primary: true, type: 'work', value: 'Test_User@testuser.com' }],
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00.000Z', lastModified: '2024-01-01T00:00:00.000Z' },
  };
}

export function group(memberIds: readonly string[] = []): JsonObject {
  return {
    schemas: [GROUP_SCHEMA],
    id: 'g-1',
    displayName: 'Sales',
    members: memberIds.map((value) => ({ value })),
    meta: { resourceType: 'Group' },
  };
}

export const memberIds = (resource: JsonObject): unknown[] =>
  (resource.members as { value: unknown }[] | undefined)?.map((member) => member.value) ?? [];

/** Freezes the whole value, so any mutation of a patch input throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const normalise = (op: string) => op.toLowerCase() as PatchOperation['op'];

/** Applies operations written as an IdP sends them (any op case) to a frozen copy of `resource`. */
export function patch(resource: JsonObject, operations: { op: string; path?: string; value?: unknown }[], type = userResourceType): PatchResult {
  const frozen = deepFreeze(structuredClone(resource));
  return applyPatch(frozen, operations.map((operation) => ({ ...operation, op: normalise(operation.op) })), type);
}

export const patchGroup = (resource: JsonObject, operations: { op: string; path?: string; value?: unknown }[]) =>
  patch(resource, operations, groupResourceType);

/** The ScimError `run` throws, checked to be a 400 of the given type. */
export function scimError(run: () => unknown, scimType: ScimType): ScimError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType });
    return error as ScimError;
  }
  throw new Error(`expected a 400 ${scimType}`);
}
