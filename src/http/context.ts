import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Models } from '../models';
import type { Producer } from '../queue/producer';
import type { IntakeMetrics } from '../metrics/intake-metrics';
import type { ScimUserStore } from '../store/scim-users';
import type { ScimGroupStore } from '../store/scim-groups';
import type { Tenant } from '../store/tenant';
import type { Request, Response } from 'express';

/** What the intake needs, built once per process (src/http/main.ts) or per test. */
export interface IntakeContext {
  config: Config;
  logger: Logger;
  models: Models;
  producer: Producer;
  users: ScimUserStore;
  groups: ScimGroupStore;
  /** The process's metrics (one per process, not per app). */
  metrics: IntakeMetrics;
}

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Set by the bearer-token middleware; every SCIM route reads its tenant from here. */
export function tenantOf(res: Response): Tenant {
  const tenant = res.locals.tenant as Tenant | undefined;
  if (!tenant) throw new Error('SCIM route reached without authentication');
  return tenant;
}

/** Absolute URL of the SCIM base the request came in on (`/scim/v2` or its `/scim` alias). */
export function baseUrl(config: Config, req: Request, res: Response): string {
  const origin = config.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${origin.replace(/\/$/, '')}${String(res.locals.scimBase ?? '')}`;
}
