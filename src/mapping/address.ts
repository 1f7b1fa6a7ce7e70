import type { MappedTargetUser } from './mapped-target-user';

/** What makes a userName usable as an address: something@something.something, no spaces. */
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An address as people compare them: trimmed, case-insensitive. */
export const normaliseAddress = (address: string): string => address.trim().toLowerCase();

/**
 * The address that identifies a SCIM user as a person: its e-mail (primary, else work, else first:
 * `pickEmail`), else its userName when that is an address; null when it has none.
 */
export function addressOf(user: Pick<MappedTargetUser, 'email' | 'userName'>): string | null {
  const email = user.email?.trim();
  if (email) return email;
  const userName = user.userName?.trim();
  return userName && ADDRESS.test(userName) ? userName : null;
}

/**
 * The person key of a SCIM user: its normalised address, or, with no address, a key of its own
 * that no other SCIM user or console entry can share (it is kept as "no e-mail", never merged).
 */
export function emailKeyOf(user: Pick<MappedTargetUser, 'email' | 'userName'>, scimSettingId: string, scimUserId: string): string {
  const address = addressOf(user);
  return address === null ? noAddressKey(scimSettingId, scimUserId) : normaliseAddress(address);
}

export const noAddressKey = (scimSettingId: string, scimUserId: string) => `none:${scimSettingId}:${scimUserId}`;

/** Whether a key stands for a SCIM user with no address. */
export const hasNoAddress = (emailKey: string) => emailKey.startsWith('none:');
