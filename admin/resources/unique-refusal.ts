import { isDuplicateKey } from '../../src/store/mongo-errors';

/**
 * A unique index refused the write. FerretDB v1 answers an insert with E11000 but an update
 * with an internal error carrying PostgreSQL's SQLSTATE 23505 (as src/store/scim-users.ts notes).
 */
export const isUniqueRefusal = (error: unknown): boolean => isDuplicateKey(error) || (error instanceof Error && /\(SQLSTATE 23505\)/.test(error.message));
