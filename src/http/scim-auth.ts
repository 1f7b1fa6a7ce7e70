import type { RequestHandler } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Models } from '../models';
import { ScimError } from '../scim/errors';
import { tokenMatches, tokenPrefix } from '../tokens/scim-token';
import { recordTokenUse } from '../tokens/token-usage';
import type { Tenant } from '../store/tenant';

/** How long a setting's "last used" may lag: one write a minute, not one per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthorized = () => new ScimError(401, 'Missing, invalid or disabled bearer token.');

/**
 * Bearer token → SCIM setting → tenant. Failures are counted per client address and,
 * past the limit, answered 429 without looking at the token, so guessing is slow.
 */
export function scimAuthentication(models: Models, failuresPerMinute: number): RequestHandler {
  const failures = new RateLimiterMemory({ points: failuresPerMinute, duration: 60 });
  const lastUsedWritten = new Map<string, number>();

  return async (req, res, next) => {
    const client = req.ip ?? 'unknown';
    const limited = await failures.get(client);
    if (limited && limited.remainingPoints <= 0) {
      res.set('Retry-After', String(Math.ceil(limited.msBeforeNext / 1000)));
      throw new ScimError(429, 'Too many failed authentication attempts; retry later.');
    }

    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1] ?? '';
    const prefix = tokenPrefix(token);
    const setting = prefix
      ? await models.ScimSetting.collection.findOne(
          { 'token.prefix': prefix },
          { projection: { companyId: 1, enabled: 1, 'token.hash': 1 } },
        )
      : null;
    if (!setting || !setting.enabled || !tokenMatches(token, setting.token.hash)) {
      await failures.penalty(client, 1);
      res.set('WWW-Authenticate', 'Bearer realm="SCIM"');
      throw unauthorized();
    }

    const tenant: Tenant = { companyId: setting.companyId, scimSettingId: setting._id };
    res.locals.tenant = tenant;

    const id = setting._id.toHexString();
    const now = Date.now();
    if (now - (lastUsedWritten.get(id) ?? 0) > LAST_USED_RESOLUTION_MS) {
      lastUsedWritten.set(id, now);
      void recordTokenUse(models, setting._id, new Date(now)).catch(() => undefined);
    }
    next();
  };
}
