import { findingAfterPullRequest, type PullRequestState } from '../../domain/pr/lifecycle';
import { FindingsRepository } from '../../storage/findings-repository';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import type { Deps } from '../deps';

export interface SyncResult {
  /** False when the pull request is not one of Remediate's (nothing stored for it). */
  known: boolean;
  /** False when the stored state already was `state` (a repeated event or reconcile). */
  changed: boolean;
  findingsUpdated: number;
}

/**
 * Records a remediation pull request's new state and moves its findings along
 * (`src/domain/pr/lifecycle.ts`): merged → `fixed`; declined → the fix is declined, never
 * proposed again, and the finding stays open; superseded → `open`. Called by the pull-request event trigger, the scheduled
 * reconcile and the scan itself; safe to call any number of times with the same state.
 */
export async function syncPullRequestState(deps: Deps, repoUuid: string, prId: number, state: PullRequestState): Promise<SyncResult> {
  const pullRequests = new PullRequestsRepository(deps.db);
  const stored = await pullRequests.get(repoUuid, prId);
  if (!stored) return { known: false, changed: false, findingsUpdated: 0 };
  if (stored.state === state) return { known: true, changed: false, findingsUpdated: 0 };

  const at = deps.clock.now().toISOString();
  const findings = new FindingsRepository(deps.db);
  let findingsUpdated = 0;
  // Findings first, then the PR row: a crash in between leaves the old PR state, so a repeated
  // call redoes the (idempotent) finding updates instead of skipping them.
  for (const id of stored.findingIds) {
    const finding = await findings.get(repoUuid, id);
    // A finding that moved on to another PR is that PR's business.
    if (!finding || (finding.pullRequest && finding.pullRequest.id !== prId)) continue;
    const next = findingAfterPullRequest(finding, { id: stored.id, url: stored.url, branch: stored.branch }, state, at);
    await findings.update(next.finding);
    findingsUpdated += 1;
  }
  await pullRequests.save({ ...stored, state, updatedAt: at });
  deps.logger.info('Pull request state synced', { repoUuid, pullRequestId: prId, state, findingsUpdated });
  return { known: true, changed: true, findingsUpdated };
}
