import { Counter, type Registry } from 'prom-client';

/** Refused SCIM bearer tokens: answered 401, or 429 once the address (and prefix) is past AUTH_FAILURES_PER_MINUTE. */
export interface AuthRefusals {
  failures: Counter<'reason'>;
  throttled: Counter;
}

export function authRefusals(registry: Registry): AuthRefusals {
  return {
    failures: new Counter({
      name: 'scim_auth_failures_total',
      help: 'SCIM requests answered 401 for their bearer token, by reason (missing, unknown, invalid, disabled).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    throttled: new Counter({
      name: 'scim_auth_throttled_total',
      help: 'SCIM requests answered 429: too many failed tokens from their address (and token prefix).',
      registers: [registry],
    }),
  };
}
