import React, { useEffect, useState } from 'react';
import { Box, CheckBox, FormGroup, FormMessage, Label, Text } from '@adminjs/design-system';
import { ApiClient, flat } from 'adminjs';

const h = React.createElement;
const api = new ApiClient();

/**
 * The manual target groups a person is in, as a list of checkboxes: for anyone, whether the
 * console or a SCIM setting manages it (its other groups come from its settings' rules and are
 * not changed here). Read through the target groups' own list, in the admin's company scope.
 */
export default function ManualGroups({ property, record, onChange }) {
  const [groups, setGroups] = useState(null);
  const companyId = record.params.companyId;
  useEffect(() => {
    const params = { perPage: 500, sortBy: 'name', direction: 'asc', 'filters.source': 'manual', ...(companyId ? { 'filters.companyId': companyId } : {}) };
    api
      .resourceAction({ resourceId: 'TargetGroup', actionName: 'list', params })
      .then((response) => setGroups(response.data.records.map((r) => ({ id: r.id, name: r.params.name }))))
      .catch(() => setGroups([]));
  }, [companyId]);
  const chosen = (flat.get(record.params, property.path) || []).map(String);
  const error = record.errors && record.errors[property.path];
  const toggle = (id) => onChange(property.path, chosen.includes(id) ? chosen.filter((g) => g !== id) : [...chosen, id]);
  return h(
    FormGroup,
    { error: Boolean(error) },
    h(Label, null, 'Manual groups'),
    !groups
      ? h(Text, null, 'Loading the groups…')
      : groups.length === 0
        ? h(Text, null, 'This company has no manual target group.')
        : groups.map((g) =>
            h(
              Box,
              { key: g.id, flex: true, alignItems: 'center', mb: 'sm' },
              h(CheckBox, { id: `manual-group-${g.id}`, checked: chosen.includes(g.id), onChange: () => toggle(g.id) }),
              h(Label, { inline: true, htmlFor: `manual-group-${g.id}`, ml: 'default' }, g.name),
            ),
          ),
    h(FormMessage, null, error ? error.message : null),
  );
}
