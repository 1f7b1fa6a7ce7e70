import type { AdminContext } from '../context';
import { companyResource, adminUserResource } from '../resources/platform';
import { customFieldResource } from '../resources/custom-fields';
import { scimSettingResource } from '../resources/scim-settings';
import { syncActivityResource } from '../resources/sync-activity';
import { targetGroupResource } from '../resources/target-groups';
import { peopleResource, targetUserResource } from '../resources/target-users';
import type { Audience, ResourceSetup } from '../resources/common';
import { hooksOnlyOnPost } from './action-methods';
import type { ConsoleComponents } from './components';
import type { AdminJSModules } from './esm';
import { CONSOLE_LOCALE } from './locale';
import { scopedResourceClass } from './scoped-resource';

const CLIENT_ASSETS = { scripts: ['/admin/x/assets/console.js'], styles: ['/admin/x/assets/console.css'] };

/** The theme's Roboto came from Google Fonts; the console asks no third party, so system fonts (or a locally installed Roboto). */
const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
// The design system's override type declares every theme entry a record; `font` is a plain string in the theme itself.
const SYSTEM_FONT_THEME = { font: SYSTEM_FONTS } as never;

/** One AdminJS instance: resources in the customer's words, for one audience (see Audience). */
function buildAdminJS(m: AdminJSModules, ctx: AdminContext, components: ConsoleComponents, audience: Audience) {
  const setup: ResourceSetup = { m, models: ctx.models, producer: ctx.producer, logger: ctx.logger, Scoped: scopedResourceClass(m), components, audience };
  return new m.adminjs.default({
    rootPath: '/admin',
    loginPath: '/admin/login',
    logoutPath: '/admin/logout',
    componentLoader: components.loader,
    resources: [
      scimSettingResource(setup),
      customFieldResource(setup),
      targetUserResource(setup),
      peopleResource(setup),
      targetGroupResource(setup),
      syncActivityResource(setup),
      companyResource(setup),
      adminUserResource(setup),
    ].map(hooksOnlyOnPost),
    dashboard: { component: components.Dashboard },
    pages: {
      setupHelp: { component: components.SetupHelpPage, icon: 'HelpCircle' },
      ...(audience === 'platform' ? { queues: { component: components.QueuesPage, icon: 'List' } } : {}),
    },
    branding: { companyName: 'SCIM provisioning', withMadeWithLove: false, logo: false, theme: SYSTEM_FONT_THEME },
    assets: CLIENT_ASSETS,
    locale: CONSOLE_LOCALE,
    settings: { defaultPerPage: 20 },
  });
}
export type ConsoleAdminJS = ReturnType<typeof buildAdminJS>;

/** The console for platform admins and the one for company admins, sharing their components. */
export function buildConsoles(m: AdminJSModules, ctx: AdminContext, components: ConsoleComponents): Record<Audience, ConsoleAdminJS> {
  return { platform: buildAdminJS(m, ctx, components, 'platform'), company: buildAdminJS(m, ctx, components, 'company') };
}
