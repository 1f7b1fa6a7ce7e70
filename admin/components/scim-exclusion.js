import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { Box, Button, Icon, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const h = React.createElement;
const api = new ApiClient();

/** What each action does, in the words README "Who is a target user" uses. */
const WHAT = {
  exclude: {
    button: 'Exclude from SCIM management',
    outcome: 'Excluded from SCIM management',
    intro: 'SCIM then leaves these target users alone:',
    points: [
      'Their fields, status and groups stay as they are now, and you edit them here, like a target user added by hand (their address stays the one their SCIM settings send).',
      'What their SCIM settings send is still recorded under Sources, so nothing is lost; a deactivation or deletion there neither deactivates nor deletes them.',
      'A new SCIM user at their address joins them as a source without changing them.',
    ],
    applies: (r) => hasSources(r) && !isExcluded(r),
    notApplied: (r) => (isExcluded(r) ? 'already excluded' : 'sent by no SCIM setting'),
  },
  include: {
    button: 'Manage by SCIM again',
    outcome: 'Managed by SCIM again',
    intro: 'Their SCIM settings then manage these target users again:',
    points: [
      'Their fields, status and groups are taken from what their SCIM settings sent, at once; what was typed here while they were excluded gives way.',
      'Their SCIM users are projected again, so an address change sent meanwhile is made too.',
    ],
    applies: (r) => hasSources(r) && isExcluded(r),
    notApplied: (r) => (isExcluded(r) ? 'sent by no SCIM setting any more' : 'not excluded'),
  },
};

function hasSources(record) {
  return Object.keys(record.params).some((path) => path.startsWith('sources.'));
}

function isExcluded(record) {
  return Boolean(record.params['scimExclusion.at']);
}

/**
 * The confirmation of "Exclude from SCIM management" and "Manage by SCIM again", for one target
 * user (a record action) or those chosen on the list (a bulk action): what will happen, to whom,
 * and the button that posts the action (its GET only loaded the people, see confirmFirst in
 * admin/adminjs/action-methods.ts). AdminJS's response handler shows the notice and follows the
 * redirect, as it does for its own actions.
 */
export default function ScimExclusion({ action, resource, record, records }) {
  const what = action.custom && action.custom.exclude ? WHAT.exclude : WHAT.include;
  const chosen = record ? [record] : records || [];
  const applying = chosen.filter(what.applies);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(null);
  const handleResponse = useActionResponseHandler();
  const back = record ? `/admin/resources/${resource.id}/records/${encodeURIComponent(record.id)}/show` : `/admin/resources/${resource.id}`;

  const confirm = () => {
    if (busy) return;
    setBusy(true);
    setFailed(null);
    const posted = record
      ? api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: {} })
      : api.bulkAction({ resourceId: resource.id, recordIds: chosen.map((r) => r.id), actionName: action.name, data: {} });
    posted
      .then(handleResponse)
      .catch(() => setFailed('The console could not be reached. Try again.'))
      .finally(() => setBusy(false));
  };

  return h(
    Box,
    { variant: 'container', 'data-testid': 'scim-exclusion' },
    h(Text, { mb: 'default' }, what.intro),
    h(Box, { as: 'ul', mb: 'lg', pl: 'xl' }, what.points.map((point) => h(Box, { as: 'li', key: point, mb: 'sm' }, h(Text, null, point)))),
    h(
      Box,
      { mb: 'xl' },
      h(
        Table,
        { 'data-testid': 'scim-exclusion-people' },
        h(TableHead, null, h(TableRow, null, h(TableCell, null, 'Target user'), h(TableCell, null, 'Sources'), h(TableCell, null, 'What happens'))),
        h(
          TableBody,
          null,
          chosen.map((r) =>
            h(
              TableRow,
              { key: r.id },
              h(TableCell, null, r.params.email || r.id),
              h(TableCell, null, r.params.sourceNames || ''),
              h(TableCell, null, what.applies(r) ? what.outcome : `Left as it is: ${what.notApplied(r)}`),
            ),
          ),
        ),
      ),
    ),
    failed ? h(MessageBox, { mb: 'lg', variant: 'danger', message: failed }) : null,
    h(
      Box,
      { flex: true, alignItems: 'center' },
      h(
        Button,
        { variant: 'contained', disabled: busy || applying.length === 0, onClick: confirm, 'data-testid': 'confirm-scim-exclusion' },
        h(Icon, { icon: action.icon }),
        chosen.length > 1 ? `${what.button} (${applying.length})` : what.button,
      ),
      h(Box, { ml: 'xl' }, h(Link, { to: back }, 'Cancel')),
    ),
  );
}
