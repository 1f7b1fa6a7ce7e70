import React from 'react';
import { Link } from 'react-router-dom';
import { Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';

const h = React.createElement;

/**
 * A target user's sources on its page: each SCIM setting that sends the person, with the SCIM id
 * (and external id) it sends it under; "Console" alone when an admin added it and no setting
 * sends it. `record.params.sourceLines` comes from the show action.
 */
export default function PersonSources({ record }) {
  const lines = record.params.sourceLines || [];
  if (lines.length === 0) return h(ValueGroup, { label: 'Sources' }, h(Text, null, 'Console: added by an admin, sent by no SCIM setting.'));
  return h(
    ValueGroup,
    { label: `Sources (${lines.length})` },
    h(
      Table,
      { 'data-testid': 'person-sources' },
      h(TableHead, null, h(TableRow, null, h(TableCell, null, 'SCIM setting'), h(TableCell, null, 'SCIM id'), h(TableCell, null, 'External id'), h(TableCell, null, 'Status'), h(TableCell, null, 'Last sync'))),
      h(
        TableBody,
        null,
        lines.map((line) =>
          h(
            TableRow,
            { key: `${line.settingId}:${line.scimUserId}` },
            h(TableCell, null, h(Link, { to: `/admin/resources/ScimSetting/records/${encodeURIComponent(line.settingId)}/show` }, line.setting)),
            h(TableCell, null, line.scimUserId),
            h(TableCell, null, line.externalId || '—'),
            h(TableCell, null, line.status || '—'),
            h(TableCell, null, line.lastSyncedAt ? new Date(line.lastSyncedAt).toLocaleString() : '—'),
          ),
        ),
      ),
    ),
  );
}
