import React from 'react';
import { Link } from 'react-router-dom';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const h = React.createElement;

/**
 * A target user's manager: the manager's name and e-mail, linked to their page, when the id the
 * identity provider sent names a person of the company (found when read, see
 * admin/target-users/people-view.ts); otherwise the name or id as it was sent.
 */
export default function ManagerLink({ property, record, where }) {
  const { translateProperty } = useTranslation();
  const { managerTargetUserId: id, managerName: name, managerEmail: email } = record.params;
  const sent = record.params[property.path];
  const shown = id
    ? h(Link, { to: `/admin/resources/TargetUser/records/${encodeURIComponent(id)}/show`, 'data-testid': 'manager-link' }, email ? `${name} · ${email}` : name)
    : sent || (where === 'show' ? '—' : '');
  return where === 'show' ? h(ValueGroup, { label: translateProperty(property.label, property.resourceId) }, shown) : shown;
}
