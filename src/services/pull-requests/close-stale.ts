import type { BitbucketClient, RepoRef } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import type { Finding } from '../../domain/finding';
import { pullRequestsToClose, scansMainBranch, staleClosingComment } from '../../domain/pr/lifecycle';
import { FindingsRepository } from '../../storage/findings-repository';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import type { Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { syncPullRequestState } from './sync';

/**
 * After a scan of the main branch: open remediation PRs none of whose findings is still reported
 * are declined with a comment saying why, and their findings become `fixed` (no longer reported).
 * A scan counts as the main branch's when its `branch` is the main branch, or — with no branch
 * given — when its commit is the main branch's tip (one read, only when there is a PR to judge).
 * Returns the ids of the PRs closed.
 */
export async function closeStalePullRequests(
  deps: Deps,
  ctx: { client: BitbucketClient; repo: RepoRef; scan: Scan },
  reported: readonly Pick<Finding, 'fingerprint'>[],
): Promise<number[]> {
  const { client, repo, scan } = ctx;
  const pullRequests = new PullRequestsRepository(deps.db);
  const open = await pullRequests.listOpen(scan.repoUuid);
  if (open.length === 0) return [];
  const findings = new FindingsRepository(deps.db);
  const byId = new Map<string, Finding>();
  for (const pr of open) {
    for (const id of pr.findingIds) {
      const finding = await findings.get(scan.repoUuid, id);
      if (finding) byId.set(id, finding);
    }
  }
  const candidates = pullRequestsToClose(open, byId, { tools: scan.tools, reportedFingerprints: new Set(reported.map((f) => f.fingerprint)) });
  if (candidates.length === 0) return [];
  const mainTip = scan.branch === undefined ? (await client.getBranch(repo, scan.mainBranch))?.hash : undefined;
  if (!scansMainBranch(scan, mainTip)) return [];

  const closed: number[] = [];
  for (const id of candidates) {
    const pr = open.find((candidate) => candidate.id === id);
    if (!pr) continue;
    const gone = pr.findingIds.flatMap((fid) => byId.get(fid) ?? []);
    const at = deps.clock.now().toISOString();
    // Findings first: `fixed` survives the decline below (only carried findings become dismissed).
    for (const finding of gone) await findings.update({ ...finding, status: 'fixed', updatedAt: at });
    try {
      if (!pr.closingCommented) {
        await client.commentOnPullRequest(repo, id, staleClosingComment(gone, scan.commit));
        await pullRequests.save({ ...pr, closingCommented: true, updatedAt: at });
      }
      await client.declinePullRequest(repo, id);
    } catch (error) {
      // Merged or declined meanwhile: record what Bitbucket says instead.
      if (!isAppError(error) || (error.code !== 'bad_request' && error.code !== 'not_found')) throw error;
      const actual = error.code === 'not_found' ? undefined : await client.getPullRequest(repo, id);
      if (actual) await syncPullRequestState(deps, scan.repoUuid, id, actual.state);
      continue;
    }
    await pullRequests.save({ ...pr, closingCommented: true, closedByApp: true, updatedAt: at });
    await syncPullRequestState(deps, scan.repoUuid, id, 'DECLINED');
    deps.logger.info('Declined a remediation pull request whose findings are gone', { repoUuid: scan.repoUuid, pullRequestId: id });
    closed.push(id);
  }
  return closed;
}
