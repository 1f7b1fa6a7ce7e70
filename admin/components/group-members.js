import React, { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Box, Loader, Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const h = React.createElement;
const SHOWN = 20;
/** The same colours as the target users' own Status column (admin/resources/target-users.ts). */
const STATUS = { active: 'success', inactive: 'default', deleted: 'danger' };
const api = new ApiClient();

const usersOf = (groupId) => `/admin/resources/TargetUser?filters.group=${encodeURIComponent(groupId)}`;
const fullName = (params) => [params.firstName, params.lastName].filter(Boolean).join(' ');

/**
 * A target group's members on its page, with their count: memberships live on the target users
 * (`groupIds`), so they are read through the target users' own list action, which keeps the
 * admin's company scope; the whole list opens as the target users filtered by the group.
 */
export default function GroupMembers({ record }) {
  const [members, setMembers] = useState(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api
      .resourceAction({ resourceId: 'TargetUser', actionName: 'list', params: { 'filters.group': record.id, perPage: SHOWN, sortBy: 'email', direction: 'asc' } })
      .then((response) => setMembers({ records: response.data.records, total: response.data.meta.total }))
      .catch(() => setFailed(true));
  }, [record.id]);

  if (failed) return h(ValueGroup, { label: 'Members' }, 'The members could not be loaded. Reload the page to try again.');
  if (!members) return h(Loader);
  const label = `Members (${members.total})`;
  if (members.total === 0) return h(ValueGroup, { label }, h(Text, null, 'No target user is in this group.'));
  return h(
    ValueGroup,
    { label },
    h(
      Table,
      { 'data-testid': 'group-members' },
      h(TableHead, null, h(TableRow, null, h(TableCell, null, 'E-mail'), h(TableCell, null, 'Name'), h(TableCell, null, 'Status'))),
      h(
        TableBody,
        null,
        members.records.map((member) =>
          h(
            TableRow,
            { key: member.id },
            h(TableCell, null, h(Link, { to: `/admin/resources/TargetUser/records/${encodeURIComponent(member.id)}/show` }, member.params.email || member.params.userName || member.id)),
            h(TableCell, null, fullName(member.params)),
            h(TableCell, null, h(Badge, { size: 'sm', variant: STATUS[member.params.status] || 'default' }, member.params.status)),
          ),
        ),
      ),
    ),
    members.total > SHOWN ? h(Box, { mt: 'lg' }, h(Link, { to: usersOf(record.id) }, `Show all ${members.total} members`)) : null,
  );
}
