/** How the console names target-user fields and the sync log's change names, in the customer's words. */
const LABELS: Record<string, string> = {
  userName: 'User name',
  externalId: 'External id',
  email: 'E-mail',
  firstName: 'First name',
  lastName: 'Last name',
  department: 'Department',
  phoneNumber: 'Phone number',
  title: 'Job title',
  manager: 'Manager',
  active: 'Active',
  status: 'Status',
  groups: 'Groups',
  members: 'Members',
  name: 'Name',
  created: 'Created',
  removed: 'Removed',
  deleted: 'Deleted',
  // Which SCIM setting's fields a target user shows (the console's "Managed by").
  managedBy: 'Managed by',
};

const CUSTOM = 'customFields.';

/** `customFields.office` by its custom field's name ("Office"); other names by their label; unknown ones as they are. */
export function fieldLabel(name: string, customFieldName: (key: string) => string | undefined): string {
  if (name.startsWith(CUSTOM)) return customFieldName(name.slice(CUSTOM.length)) ?? name.slice(CUSTOM.length);
  return LABELS[name] ?? name;
}
