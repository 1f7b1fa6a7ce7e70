import type { Connection } from 'mongoose';
import type { Models } from '../models';

/**
 * The connection every model is bound to, for what is not a query of a collection: the readiness
 * ping (src/health/dependencies.ts), and the store's own collections without a model (console
 * sign-in failures, sessions). Outside src/store it is handed on, never queried.
 */
export const databaseConnection = (models: Models): Connection => models.ScimUserResource.db;
