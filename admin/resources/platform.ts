import type { ResourceWithOptions } from '../adminjs/esm';
import { hidden, NAVIGATION, platformOnly, READ_ONLY_ACTIONS, type ResourceSetup } from './common';

/** Companies: platform admins manage them; a company admin sees only its own (needed to show references). */
export function companyResource({ models, Scoped }: ResourceSetup): ResourceWithOptions {
  return {
    resource: new Scoped(models.Company as never, { scopeField: '_id' }),
    options: {
      navigation: NAVIGATION.platform,
      listProperties: ['name', 'createdAt'],
      editProperties: ['name'],
      actions: {
        list: { isVisible: platformOnly },
        new: { isAccessible: platformOnly },
        edit: { isAccessible: platformOnly },
        // Deleting a company would orphan everything it owns.
        delete: hidden,
        bulkDelete: hidden,
      },
    },
  };
}

/**
 * Console logins, for platform admins to see who has access. They are created with the
 * create-admin CLI (passwords never pass through a form here). Lockouts are kept per e-mail and
 * client address, not per account (admin/auth/login-failures.ts).
 */
export function adminUserResource({ models, Scoped }: ResourceSetup): ResourceWithOptions {
  return {
    resource: new Scoped(models.AdminUser as never, { scopeField: 'companyId', redact: ['passwordHash'] }),
    options: {
      navigation: NAVIGATION.platform,
      listProperties: ['email', 'role', 'companyId', 'lastLoginAt'],
      showProperties: ['email', 'role', 'companyId', 'lastLoginAt', 'createdAt'],
      filterProperties: ['email', 'role', 'companyId'],
      actions: {
        ...READ_ONLY_ACTIONS,
        list: { isAccessible: platformOnly, isVisible: platformOnly },
        show: { isAccessible: platformOnly, isVisible: platformOnly },
        search: { isAccessible: platformOnly },
      },
    },
  };
}
