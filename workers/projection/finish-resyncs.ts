import { projectionDue } from '../../src/store/projection-due';
import { settingResyncs } from '../../src/store/setting-resyncs';
import { syncActivity } from '../../src/store/sync-activity';
import type { Tenant } from '../../src/store/tenant';
import type { AssertLockHeld } from '../../src/store/write-lock';
import type { WorkerContext } from '../context';

/**
 * Stamps the finish of the setting's re-syncs that have nothing left untried: every one of their
 * due records was projected (and cleared) or failed (and waits for its retry, counted as failed).
 * Run by the setting's projection under its lease after each batch, empty ones too, so it is the
 * only writer of a stored re-sync.
 */
export async function finishResyncs(ctx: WorkerContext, tenant: Tenant, assertHeld: AssertLockHeld): Promise<void> {
  for (const resync of await settingResyncs.unfinished(ctx.models, tenant)) {
    if (await projectionDue.hasUntried(ctx.models, tenant, resync.rulesVersion)) continue;
    const tally = await syncActivity.resyncTally(ctx.models, tenant, resync.rulesVersion);
    assertHeld();
    await settingResyncs.finish(ctx.models, tenant, resync.rulesVersion, { finishedAt: new Date(), userTally: tally.User, groupTally: tally.Group });
    ctx.logger.info({ scimSettingId: tenant.scimSettingId.toHexString(), rulesVersion: resync.rulesVersion, users: tally.User, groups: tally.Group }, 're-sync finished');
  }
}
