/** What one SCIM User becomes on the target-user side, before grouping and persistence. */
export interface MappedTargetUser {
  userName: string | null;
  externalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  department: string | null;
  phoneNumber: string | null;
  title: string | null;
  /** The manager's display name, else its id. */
  manager: string | null;
  /** The manager's id as sent (enterprise `manager.value`, OneLogin's `managerId`, Entra's bare id): the console resolves it to a target user. */
  managerId: string | null;
  /** custom field key → value, from the SCIM setting's field mappings. */
  customFields: Record<string, string>;
  active: boolean;
}

/** The single-valued fields, in the order the sync activity log lists them. */
export const TARGET_USER_FIELDS = [
  'userName',
  'externalId',
  'email',
  'firstName',
  'lastName',
  'department',
  'phoneNumber',
  'title',
  'manager',
  'managerId',
  'active',
] as const satisfies ReadonlyArray<Exclude<keyof MappedTargetUser, 'customFields'>>;
