import type { ResyncTally } from '../../src/models/setting-resync';
import type { ResyncStatus } from '../scim-settings/resync-status';
import { formatTime } from './format';
import { html, type Html } from './html';

const time = (date: Date) => html`<time datetime="${date.toISOString()}">${formatTime(date)}</time>`;
const count = (n: number) => n.toLocaleString('en');
const progressBar = (percent: number) => html`<div class="progress" role="progressbar" aria-valuenow="${percent}" aria-valuemin="0" aria-valuemax="100"><div style="width:${percent}%"></div></div>`;
const failuresOf = (id: string) => `/admin/resources/SyncActivity?filters.scimSettingId=${id}&filters.outcome=failed`;

function notRecorded(status: Extract<ResyncStatus, { state: 'notRecorded' }>): Html {
  if (!status.queueReachable) return html`No re-sync of these rules is recorded yet, and the queue cannot be reached to tell whether one is waiting.`;
  if (status.jobState === 'failed') return html`The re-sync job of these rules failed before it recorded its work. <em>Re-sync now</em> starts it again.`;
  return html`No re-sync of these rules is recorded or queued (the queue may have been unreachable when it was asked for). <em>Re-sync now</em> starts one.`;
}

/** One line for the setting's page. */
export function resyncSummary(status: ResyncStatus): Html {
  switch (status.state) {
    case 'none':
      return html`None yet`;
    case 'requested':
      return html`Requested ${time(status.requestedAt)}, waiting for the worker`;
    case 'notRecorded':
      return html`Not recorded for the current rules`;
    case 'running':
      return html`Running: ${count(status.due)} of ${count(status.total)} still to project`;
    case 'finished': {
      const changed = status.userTally.changed + status.groupTally.changed;
      const failed = status.userTally.failed + status.groupTally.failed;
      return html`Finished ${time(status.finishedAt)}: ${count(status.userTally.reprojected)} users and ${count(status.groupTally.reprojected)} groups re-projected, ${count(changed)} changed, ${count(failed)} failed`;
    }
  }
}

const tallyRow = (label: string, kind: string, recorded: number, tally: ResyncTally) =>
  html`<tr><th scope="row">${label}</th><td class="number" data-resync-figure="${kind}-recorded">${count(recorded)}</td><td class="number" data-resync-figure="${kind}-reprojected">${count(tally.reprojected)}</td><td class="number" data-resync-figure="${kind}-changed">${count(tally.changed)}</td><td class="number" data-resync-figure="${kind}-failed">${count(tally.failed)}</td></tr>`;

/** The re-sync page's account of the current rules' re-sync, with the state in `data-resync` for whoever reads the page. */
export function resyncDetails(settingId: string, status: ResyncStatus): Html {
  switch (status.state) {
    case 'none':
      return html`<p id="resync-status" data-resync="none">No re-sync yet: every user was projected under these rules as it arrived.</p>`;
    case 'requested':
      return html`<p id="resync-status" data-resync="requested">Re-sync requested ${time(status.requestedAt)}. Waiting for the worker to record what is due (job: ${status.jobState}). Refreshing every few seconds…</p>`;
    case 'notRecorded':
      return html`<div id="resync-status" data-resync="notRecorded" class="banner warn">${notRecorded(status)}${status.jobState && status.jobState !== 'failed' ? html` <span class="hint">(job: ${status.jobState})</span>` : ''}</div>`;
    case 'running':
      return html`${progressBar(status.percent)}
<p id="resync-status" data-resync="running"><strong>${status.percent}%</strong>: ${count(status.due)} of ${count(status.total)} users and groups still to project${status.failing > 0 ? html` (${count(status.failing)} failing, retried later)` : ''}. Requested ${time(status.requestedAt)}. Refreshing every few seconds…</p>`;
    case 'finished': {
      const failed = status.userTally.failed + status.groupTally.failed;
      return html`<p id="resync-status" data-resync="finished">Finished ${time(status.finishedAt)} (requested ${time(status.requestedAt)}).</p>
<table id="resync-figures"><thead><tr><th></th><th class="number">Recorded</th><th class="number">Re-projected</th><th class="number">Changed</th><th class="number">Failed</th></tr></thead>
<tbody>${tallyRow('Users', 'users', status.users, status.userTally)}${tallyRow('Groups', 'groups', status.groups, status.groupTally)}</tbody></table>
${failed > 0 ? html`<p class="hint">Failed ones are retried with the setting's other failures: <a href="${failuresOf(settingId)}">failed sync activity</a>.</p>` : ''}`;
    }
  }
}
