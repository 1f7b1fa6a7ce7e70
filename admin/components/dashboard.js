import React from 'react';
import { Navigate } from 'react-router';

/** The console starts at the SCIM settings, where the customer's docs start, instead of AdminJS's product dashboard. */
export default function Dashboard() {
  return React.createElement(Navigate, { to: '/admin/resources/ScimSetting', replace: true });
}
