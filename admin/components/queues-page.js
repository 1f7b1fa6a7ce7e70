import React from 'react';
import { Box, Button, H2, Text } from '@adminjs/design-system';

const h = React.createElement;

/**
 * Platform admins reach the queue dashboard (bull-board, a separate app with a look of its
 * own) from the console's navigation; it opens as a page of its own.
 */
export default function QueuesPage() {
  return h(
    Box,
    { px: ['default', 'xxl'], py: 'xxl' },
    h(H2, { mt: 'lg', mb: 'xl' }, 'Queues'),
    h(
      Box,
      { variant: 'container', p: 'xxl' },
      h(Text, { mb: 'xl' }, 'Projection and maintenance jobs of every company: counts per state, job details (ids only) and retrying failed jobs.'),
      h(Button, { as: 'a', href: '/admin/queues', variant: 'contained' }, 'Open the queue dashboard'),
    ),
  );
}
