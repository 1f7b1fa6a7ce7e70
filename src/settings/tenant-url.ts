import type { Config } from '../config';

/**
 * Where this deployment is reached when no request tells: PUBLIC_BASE_URL, else this machine on
 * the web process's port. For what the CLI and `npm start` print.
 */
export const configuredOrigin = (config: Pick<Config, 'publicBaseUrl' | 'port'>): string => (config.publicBaseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');

/** The Tenant URL in the form the customer's IdP guides give it (`…/scim`); `/scim/v2` is served as well. */
export const tenantUrl = (origin: string): string => `${origin.replace(/\/+$/, '')}/scim`;
