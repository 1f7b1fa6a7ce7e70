const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * The attributes "Map Fields" offers: the common ones of the core User and enterprise
 * schemas, in the path forms Entra ID, Okta and OneLogin send. Any other path may be typed
 * in; all are checked with validateMappingPath on save.
 */
export const COMMON_SCIM_ATTRIBUTES: ReadonlyArray<{ path: string; label: string }> = [
  { path: 'userName', label: 'User name' },
  { path: 'displayName', label: 'Display name' },
  { path: 'nickName', label: 'Nickname' },
  { path: 'title', label: 'Job title' },
  { path: 'userType', label: 'User type' },
  { path: 'preferredLanguage', label: 'Preferred language' },
  { path: 'locale', label: 'Locale' },
  { path: 'timezone', label: 'Time zone' },
  { path: 'externalId', label: 'External id' },
  { path: 'name.givenName', label: 'First name' },
  { path: 'name.familyName', label: 'Last name' },
  { path: 'name.middleName', label: 'Middle name' },
  { path: 'name.formatted', label: 'Full name' },
  { path: 'emails[type eq "work"].value', label: 'Work e-mail' },
  { path: 'phoneNumbers[type eq "work"].value', label: 'Work phone' },
  { path: 'phoneNumbers[type eq "mobile"].value', label: 'Mobile phone' },
  { path: 'addresses[type eq "work"].locality', label: 'Work city' },
  { path: 'addresses[type eq "work"].region', label: 'Work region' },
  { path: 'addresses[type eq "work"].country', label: 'Work country' },
  { path: 'addresses[type eq "work"].postalCode', label: 'Work postal code' },
  { path: 'addresses[type eq "work"].streetAddress', label: 'Work street address' },
  { path: `${ENTERPRISE}:employeeNumber`, label: 'Employee number (enterprise)' },
  { path: `${ENTERPRISE}:costCenter`, label: 'Cost center (enterprise)' },
  { path: `${ENTERPRISE}:organization`, label: 'Organization (enterprise)' },
  { path: `${ENTERPRISE}:division`, label: 'Division (enterprise)' },
  { path: `${ENTERPRISE}:department`, label: 'Department (enterprise)' },
  { path: `${ENTERPRISE}:manager.value`, label: 'Manager id (enterprise)' },
  // OneLogin's template (see its setup help) sends the manager's id here instead of in value.
  { path: `${ENTERPRISE}:manager.managerId`, label: 'Manager id (enterprise, as OneLogin sends it)' },
  { path: `${ENTERPRISE}:manager.displayName`, label: 'Manager name (enterprise)' },
];
