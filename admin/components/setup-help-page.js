import React from 'react';
import { ConsolePageView } from './console-page.js';

/** "Setup help" in the navigation: the IdP guides with this deployment's Tenant URL (admin/pages/setup-help-page.ts). */
export default function SetupHelpPage() {
  return React.createElement(ConsolePageView, { src: '/admin/x/setup-help', withTitle: true });
}
