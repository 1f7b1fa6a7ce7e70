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
  manager: string | null;
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
  'active',
] as const satisfies ReadonlyArray<Exclude<keyof MappedTargetUser, 'customFields'>>;
