/* global URLSearchParams */
import React, { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { Box, Button, Icon, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const h = React.createElement;
const api = new ApiClient();
/** What the list's address carries that is not its content. */
const NOT_THE_LIST = ['page', 'refresh', 'perPage'];

/**
 * Export: the target users list as filtered and searched when Export was pressed (the header
 * passes the list's query along), as a CSV file the export action streams.
 */
export default function ExportTargetUsers({ resource }) {
  const location = useLocation();
  const query = new URLSearchParams(location.search);
  for (const key of NOT_THE_LIST) query.delete(key);
  const search = query.toString();
  const filters = [...query.keys()].filter((key) => key.startsWith('filters.')).length;
  const [total, setTotal] = useState(null);
  useEffect(() => {
    api
      .resourceAction({ resourceId: resource.id, actionName: 'list', params: { ...Object.fromEntries(query), perPage: 1 } })
      .then((response) => setTotal(response.data.meta.total))
      .catch(() => setTotal(null));
  }, [search]);
  const what = filters === 0 ? 'every target user' : `the target users matching the list's ${filters === 1 ? 'filter' : `${filters} filters`}`;
  return h(
    Box,
    { variant: 'container', 'data-testid': 'export-target-users' },
    h(Text, { mb: 'lg' }, `A CSV file of ${what}${total === null ? '' : ` (${total.toLocaleString('en')})`}: e-mail, first name, last name, department, title, phone, manager, groups, status, sources and custom fields.`),
    h(
      Box,
      { flex: true, alignItems: 'center' },
      h(Button, { as: 'a', variant: 'contained', href: `/admin/api/resources/${resource.id}/actions/export${search ? `?${search}` : ''}`, download: true, 'data-testid': 'download-csv' }, h(Icon, { icon: 'Download' }), 'Download CSV'),
      h(Box, { ml: 'xl' }, h(Link, { to: `/admin/resources/${resource.id}${search ? `?${search}` : ''}` }, 'Back to the list')),
    ),
  );
}
