import React, { useEffect, useState } from 'react';
import { FormGroup, FormMessage, Input, Label, Text, ValueGroup } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const h = React.createElement;
const api = new ApiClient();

/**
 * The company's custom fields on a target user's New and Edit forms, one input each (values kept
 * under `customFields.<key>`); read-only with "Managed by <setting>" when a SCIM setting sends
 * the person. The fields are read through the custom fields' own list, which keeps the admin's
 * company scope; a platform admin sees those of the person's company.
 */
export default function CustomFieldInputs({ record, onChange }) {
  const [fields, setFields] = useState(null);
  const companyId = record.params.companyId;
  useEffect(() => {
    const params = { perPage: 500, sortBy: 'name', direction: 'asc', ...(companyId ? { 'filters.companyId': companyId } : {}) };
    api
      .resourceAction({ resourceId: 'CustomField', actionName: 'list', params })
      .then((response) => setFields(response.data.records.map((r) => ({ key: r.params.key, name: r.params.name }))))
      .catch(() => setFields([]));
  }, [companyId]);
  if (!fields || fields.length === 0) return null;
  const error = (key) => record.errors && record.errors[`customFields.${key}`];
  const valueOf = (key) => record.params[`customFields.${key}`] ?? '';
  if (record.params.managedBy) {
    return h(
      ValueGroup,
      { label: 'Custom fields' },
      fields.map((f) => h(Text, { key: f.key }, `${f.name}: ${valueOf(f.key) || '—'}`)),
      h(Text, { variant: 'sm', color: 'grey60' }, `Managed by ${record.params.managedBy}`),
    );
  }
  return h(
    React.Fragment,
    null,
    fields.map((f) =>
      h(
        FormGroup,
        { key: f.key, error: Boolean(error(f.key)) },
        h(Label, { htmlFor: `customFields.${f.key}` }, f.name),
        h(Input, { id: `customFields.${f.key}`, name: `customFields.${f.key}`, value: String(valueOf(f.key)), onChange: (event) => onChange(`customFields.${f.key}`, event.target.value) }),
        h(FormMessage, null, error(f.key) ? error(f.key).message : null),
      ),
    ),
  );
}
