import type { RequestHandler } from 'express';
import type { Models } from '../models';
import { ScimError } from '../scim/errors';
import { tokenMatches, tokenPrefix } from '../tokens/scim-token';
import { settingByTokenPrefix } from '../store/scim-settings';
import { recordTokenUse } from '../store/token-usage';
import type { Tenant } from '../store/tenant';
import { failureKey, type AuthFailures } from './auth-failures';
import type { AuthRefusals } from '../metrics/auth-refusals';

/** How long a setting's "last used" may lag: one write a minute, not one per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthorized = () => new ScimError(401, 'Missing, invalid or disabled bearer token.');

/**
 * Bearer token → SCIM setting → tenant. A valid token is always served; a failed one is
 * counted (AuthFailures) and, past the limit, answered 429 instead of 401.
 */
export function scimAuthentication(models: Models, failures: AuthFailures, refusals: AuthRefusals): RequestHandler {
  const lastUsedWritten = new Map<string, number>();

  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1] ?? '';
    const prefix = tokenPrefix(token);
    const setting = prefix ? await settingByTokenPrefix(models, prefix) : null;
    if (!setting || !setting.enabled || !tokenMatches(token, setting.token.hash)) {
      const client = req.ip ?? 'unknown';
      res.locals.clientAddress = client;
      const limited = await failures.record(failureKey(client, setting ? prefix : undefined));
      if (limited) {
        refusals.throttled.inc();
        res.set('Retry-After', String(Math.max(1, Math.ceil(limited.retryAfterMs / 1000))));
        throw new ScimError(429, 'Too many failed authentication attempts; retry later.');
      }
      refusals.failures.inc({ reason: !setting ? (token === '' ? 'missing' : 'unknown') : !setting.enabled ? 'disabled' : 'invalid' });
      res.set('WWW-Authenticate', 'Bearer realm="SCIM"');
      throw unauthorized();
    }

    const tenant: Tenant = { companyId: setting.companyId, scimSettingId: setting._id };
    res.locals.tenant = tenant;

    const id = setting._id.toHexString();
    const now = Date.now();
    if (now - (lastUsedWritten.get(id) ?? 0) > LAST_USED_RESOLUTION_MS) {
      lastUsedWritten.set(id, now);
      void recordTokenUse(models, tenant, new Date(now)).catch(() => undefined);
    }
    next();
  };
}
