import type { Types } from 'mongoose';

/**
 * The lock record (src/store/write-lock.ts) under which a company's target users and target
 * groups are written: by its projection (held as a lease for a batch) and by console edits of
 * target users (held for one write). One writer at a time per company, because several of its
 * SCIM settings may send one person.
 */
export const companyLeaseKey = (companyId: Types.ObjectId) => `project:${companyId.toHexString()}`;
