import React from 'react';
import { FormGroup, FormMessage, Input, Label, Text, ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const h = React.createElement;

/**
 * A field of a target user on its New and Edit forms: typed by the admin when the console manages
 * the person, read-only with "Managed by <setting>" when a SCIM setting sends it (its identity
 * provider is where it changes). Of a person excluded from SCIM management every field is typed
 * but its address, which stays the one its SCIM settings send it under. `record.params.managedBy`
 * and `addressKept` come from the show action.
 */
export default function PersonField({ property, record, onChange }) {
  const { translateProperty } = useTranslation();
  const label = translateProperty(property.label, property.resourceId);
  const value = record.params[property.path];
  const error = record.errors && record.errors[property.path];
  const addressKept = property.path === 'email' && record.params.addressKept;
  if (record.params.managedBy || addressKept) {
    return h(
      ValueGroup,
      { label },
      h(Text, null, value === null || value === undefined || value === '' ? '—' : String(value)),
      record.params.managedBy
        ? h(Text, { variant: 'sm', color: 'grey60', 'data-testid': 'managed-by' }, `Managed by ${record.params.managedBy}`)
        : h(Text, { variant: 'sm', color: 'grey60', 'data-testid': 'address-kept' }, 'Kept while its SCIM settings send it under this address'),
    );
  }
  return h(
    FormGroup,
    { error: Boolean(error) },
    h(Label, { htmlFor: property.path, required: property.isRequired }, label),
    h(Input, { id: property.path, name: property.path, value: value === null || value === undefined ? '' : String(value), onChange: (event) => onChange(property.path, event.target.value) }),
    h(FormMessage, null, error ? error.message : null),
  );
}
