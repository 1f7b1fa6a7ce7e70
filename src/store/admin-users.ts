import type { Types } from 'mongoose';
import type { Models } from '../models';
import type { AdminRole } from '../models/admin-user';

/**
 * Console logins (src/models/admin-user.ts). Platform-level, not tenant-scoped: an admin is looked
 * up by e-mail address when signing in, before any company is known, and the account is what
 * names the company an admin is confined to (null for a platform admin). Platform admins list
 * logins through the console's AdminJS resource (admin/resources/platform.ts).
 */
export const adminUsers = {
  /** The login of this (normalised) e-mail address, password hash included; null when there is none. */
  async byEmail(models: Models, email: string) {
    return models.AdminUser.findOne({ email });
  },

  /** A signed-in admin's login, read again on every console request; null once it is deleted. */
  async byId(models: Models, id: string) {
    return models.AdminUser.findById(id);
  },

  async create(models: Models, login: { email: string; passwordHash: string; role: AdminRole; companyId: Types.ObjectId | null }): Promise<void> {
    await models.AdminUser.create(login);
  },

  /** A new password (create-admin --reset-password), and the role and company given with it. */
  async resetPassword(models: Models, id: Types.ObjectId, login: { passwordHash: string; role: AdminRole; companyId: Types.ObjectId | null }): Promise<void> {
    await models.AdminUser.updateOne({ _id: id }, { $set: login });
  },

  async signedIn(models: Models, id: Types.ObjectId, at: Date): Promise<void> {
    await models.AdminUser.updateOne({ _id: id }, { $set: { lastLoginAt: at } });
  },

  /** Whether there is any login yet (an estimate: it only decides a warning at start). */
  async any(models: Models): Promise<boolean> {
    return (await models.AdminUser.estimatedDocumentCount()) !== 0;
  },
};
