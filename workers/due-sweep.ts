import type { Logger } from '../src/logger';
import type { Models } from '../src/models';
import type { Producer } from '../src/queue/producer';
import { projectionDue } from '../src/store/projection-due';
import { wakeProjection } from '../src/store/outbox';
import { settingResyncs } from '../src/store/setting-resyncs';

/**
 * Wakes the projection of every setting that has work due now, or a re-sync not yet stamped
 * finished. Wake-ups lost with Redis, a write whose wake-up failed, a failed projection's retry,
 * a lease its holder died with: the due records in MongoDB are the memory, this sweep reads them. No time window: anything due
 * is found, however old.
 */
export class DueSweep {
  private running = false;

  constructor(
    private readonly models: Models,
    private readonly producer: Producer,
    private readonly logger: Logger,
  ) {}

  async run(now = new Date()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const due = await projectionDue.settingsDueNow(this.models, now);
      // A re-sync whose last record went before the re-sync itself was stored needs one more run to be stamped finished.
      const resyncing = await settingResyncs.settingsUnfinished(this.models);
      const settings = new Map([...due, ...resyncing].map((tenant) => [tenant.scimSettingId.toHexString(), tenant]));
      for (const tenant of settings.values()) await wakeProjection(this.producer, this.logger, tenant);
      return settings.size;
    } finally {
      this.running = false;
    }
  }
}
