import type { Logger } from '../src/logger';
import type { Models } from '../src/models';
import type { Producer } from '../src/queue/producer';
import type { ScimUserStore } from '../src/store/scim-users';
import type { ScimGroupStore } from '../src/store/scim-groups';
import type { Tenant } from '../src/store/tenant';
import type { ProjectionDueDoc } from '../src/models/projection-due';

/** What one projection batch did: for logs, metrics and the tests that watch runs. */
export interface BatchReport {
  tenant: Tenant;
  startedAt: number;
  endedAt: number;
  /** Due records read. */
  size: number;
  applied: number;
  unchanged: number;
  failed: number;
  /** The due records it finished (cleared). */
  finished: readonly ProjectionDueDoc[];
}

/** What the worker's parts need: the database, a logger, a producer for wake-ups, and the SCIM stores' projection reads. */
export interface WorkerContext {
  models: Models;
  logger: Logger;
  producer: Producer;
  users: ScimUserStore;
  groups: ScimGroupStore;
  /** How long a company's projection lease lasts (config PROJECTION_LEASE_MS). */
  projectionLeaseMs: number;
  /** Told about each batch after it committed. */
  onBatch?: (report: BatchReport) => void;
  /** Told when a setting's projection failed as a whole (it is woken again by the due sweep). */
  onFailure?: (tenant: Tenant, error: Error) => void;
}
