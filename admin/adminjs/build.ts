import type { AdminContext } from '../context';
import { companyResource, adminUserResource } from '../resources/platform';
import { customFieldResource } from '../resources/custom-fields';
import { scimSettingResource } from '../resources/scim-settings';
import { syncActivityResource } from '../resources/sync-activity';
import { targetGroupResource } from '../resources/target-groups';
import { targetUserResource } from '../resources/target-users';
import { hooksOnlyOnPost } from './action-methods';
import type { AdminJSModules } from './esm';
import { CONSOLE_LOCALE } from './locale';
import { scopedResourceClass } from './scoped-resource';

const CLIENT_ASSETS = { scripts: ['/admin/x/assets/console.js'], styles: ['/admin/x/assets/console.css'] };

/** The theme's Roboto came from Google Fonts; the console asks no third party, so system fonts (or a locally installed Roboto). */
const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
// The design system's override type declares every theme entry a record; `font` is a plain string in the theme itself.
const SYSTEM_FONT_THEME = { font: SYSTEM_FONTS } as never;

/** The AdminJS instance: resources in the customer's words, no custom components (nothing to bundle). */
export function buildAdminJS(m: AdminJSModules, ctx: AdminContext) {
  const Scoped = scopedResourceClass(m);
  const { models } = ctx;
  return new m.adminjs.default({
    rootPath: '/admin',
    loginPath: '/admin/login',
    logoutPath: '/admin/logout',
    resources: [
      scimSettingResource(models, Scoped),
      customFieldResource(m, models, Scoped),
      targetUserResource(models, Scoped),
      targetGroupResource(m, ctx, Scoped),
      syncActivityResource(models, Scoped),
      companyResource(models, Scoped),
      adminUserResource(models, Scoped),
    ].map(hooksOnlyOnPost),
    branding: { companyName: 'SCIM provisioning', withMadeWithLove: false, logo: false, theme: SYSTEM_FONT_THEME },
    assets: CLIENT_ASSETS,
    locale: CONSOLE_LOCALE,
    settings: { defaultPerPage: 20 },
  });
}
export type ConsoleAdminJS = ReturnType<typeof buildAdminJS>;
