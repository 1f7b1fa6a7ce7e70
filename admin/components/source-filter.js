import React, { useEffect, useState } from 'react';
import { FormGroup, Label, Select } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const h = React.createElement;
const api = new ApiClient();
/** The values admin/resources/target-user-filters.ts reads as "no SCIM setting sends them" and "excluded from SCIM management". */
const CONSOLE_MANAGED = { value: 'console', label: 'Console-managed' };
const EXCLUDED = { value: 'excluded', label: 'Excluded from SCIM' };

/** The "Sources" filter of target users: console-managed people, those excluded from SCIM management, or those one SCIM setting sends. */
export default function SourceFilter({ property, filter, onChange }) {
  const [options, setOptions] = useState([CONSOLE_MANAGED, EXCLUDED]);
  useEffect(() => {
    api
      .resourceAction({ resourceId: 'ScimSetting', actionName: 'list', params: { perPage: 500, sortBy: 'name', direction: 'asc' } })
      .then((response) => setOptions([CONSOLE_MANAGED, EXCLUDED, ...response.data.records.map((r) => ({ value: r.id, label: r.params.name }))]))
      .catch(() => undefined);
  }, []);
  const value = filter[property.path] || '';
  const selected = options.find((o) => o.value === value);
  return h(
    FormGroup,
    { variant: 'filter' },
    h(Label, null, 'Sources'),
    h(Select, { variant: 'filter', inputId: 'filter-source', value: selected || '', isClearable: true, options, onChange: (option) => onChange(property.path, option ? option.value : '') }),
  );
}
