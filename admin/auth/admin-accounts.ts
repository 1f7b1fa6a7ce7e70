import type { Types } from 'mongoose';
import type { Config } from '../../src/config';
import type { Logger } from '../../src/logger';
import type { Models } from '../../src/models';
import type { AdminRole } from '../../src/models/admin-user';
import { adminUsers } from '../../src/store/admin-users';
import { databaseConnection } from '../../src/store/connection';
import { LoginFailures } from './login-failures';
import { hashPassword } from './password';

export interface NewAdmin {
  email: string;
  password: string;
  role: AdminRole;
  companyId: Types.ObjectId | null;
}

/** Creates a console login, or (with `resetPassword`) sets a new password and unlocks an existing one. */
export async function saveAdmin(models: Models, input: NewAdmin, options: { resetPassword?: boolean } = {}): Promise<'created' | 'updated' | 'exists'> {
  if (input.role === 'companyAdmin' && !input.companyId) throw new Error('A company admin needs a company.');
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const existing = await adminUsers.byEmail(models, email);
  if (existing && !options.resetPassword) return 'exists';
  if (existing) {
    await adminUsers.resetPassword(models, existing._id, { passwordHash, role: input.role, companyId: input.companyId });
    await new LoginFailures(databaseConnection(models)).clearAccount(email);
    return 'updated';
  }
  await adminUsers.create(models, { email, passwordHash, role: input.role, companyId: input.companyId });
  return 'created';
}

/**
 * The first platform admin comes from ADMIN_EMAIL / ADMIN_PASSWORD at start. An existing
 * account keeps its password: the variables bootstrap a login, they do not manage it
 * (use the create-admin CLI with --reset-password for that).
 */
export async function ensureFirstAdmin(models: Models, config: Config, logger: Logger): Promise<void> {
  if (config.adminEmail && config.adminPassword) {
    const result = await saveAdmin(models, { email: config.adminEmail, password: config.adminPassword, role: 'platformAdmin', companyId: null }).catch(
      (err: { code?: number }) => {
        // Two web processes starting together: the unique e-mail index lets one insert win.
        if (err.code === 11000) return 'exists' as const;
        throw err;
      },
    );
    logger.info({ email: config.adminEmail, result }, result === 'created' ? 'console platform admin created from ADMIN_EMAIL' : 'console admin from ADMIN_EMAIL already exists');
    return;
  }
  if (!(await adminUsers.any(models))) {
    logger.warn('no console admin yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run admin:create -- --email you@example.com --platform`');
  }
}
