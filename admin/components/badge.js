import React from 'react';
import { Badge, ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const h = React.createElement;

/**
 * A value as a coloured badge (a target group's source, a sync outcome, a user's status). The
 * property's `custom.variants` maps a value, or the value of `custom.kindPath` when the shown
 * text is computed (a group's "Mirrored from Entra ID" is of kind "idp"), to a design-system
 * variant; the text is the value's label from `availableValues` or `custom.labels`.
 */
export default function ValueBadge({ property, record, where }) {
  const { translateProperty } = useTranslation();
  const value = record.params[property.path];
  const custom = property.custom || {};
  const kind = custom.kindPath ? record.params[custom.kindPath] : value;
  const known = (property.availableValues || []).find((option) => option.value === value);
  const badge = value === undefined || value === null || value === ''
    ? null
    : h(Badge, { variant: (custom.variants || {})[kind] || 'default', size: 'sm' }, known ? known.label : ((custom.labels || {})[value] ?? String(value)));
  return where === 'show' ? h(ValueGroup, { label: translateProperty(property.label, property.resourceId) }, badge || '—') : badge;
}
