import React from 'react';
import { FormGroup, FormMessage, Input, Label, Text, ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const h = React.createElement;

/**
 * A field of a target user on its New and Edit forms: typed by the admin when the console manages
 * the person, read-only with "Managed by <setting>" when a SCIM setting sends it (its identity
 * provider is where it changes). `record.params.managedBy` comes from the show action.
 */
export default function PersonField({ property, record, onChange }) {
  const { translateProperty } = useTranslation();
  const label = translateProperty(property.label, property.resourceId);
  const value = record.params[property.path];
  const error = record.errors && record.errors[property.path];
  if (record.params.managedBy) {
    return h(
      ValueGroup,
      { label },
      h(Text, null, value === null || value === undefined || value === '' ? '—' : String(value)),
      h(Text, { variant: 'sm', color: 'grey60', 'data-testid': 'managed-by' }, `Managed by ${record.params.managedBy}`),
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
