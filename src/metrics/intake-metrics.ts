import { authRefusals, type AuthRefusals } from './auth-refusals';
import { requestDurations, type RequestDurations } from './http-requests';
import { processMetrics, type MetricsSources, type ProcessMetrics } from './process-metrics';
import { scimOperations, type ScimOperations } from './scim-operations';

/** The web process's metrics: every process's, and its requests, SCIM operations and refused tokens. */
export interface IntakeMetrics extends ProcessMetrics {
  requests: RequestDurations;
  scimOperations: ScimOperations;
  authRefusals: AuthRefusals;
}

/** One per web process (or per test system), not per app: Node's process figures are watched once. */
export function intakeMetrics(sources: MetricsSources): IntakeMetrics {
  const base = processMetrics(sources);
  return { ...base, requests: requestDurations(base.registry), scimOperations: scimOperations(base.registry), authRefusals: authRefusals(base.registry) };
}
