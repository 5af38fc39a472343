import { isAppError } from '../../domain/errors';
import type { Finding } from '../../domain/finding';
import { pullRequestsToClose, scansMainBranch, staleClosingComment } from '../../domain/pr/lifecycle';
import type { ScanJob } from '../scan/job-context';
import { syncPullRequestState } from './sync';
import { pullRequestBranchPrefix, pullRequestOfBranch } from '../../domain/pr/pull-request-scan';

/**
 * After a scan of the main branch: open remediation PRs none of whose findings is still reported
 * are declined with a comment saying why, and their findings become `fixed` (no longer reported).
 * Only analyses the job's uploads ran for the first time on this commit can say a finding is gone,
 * and only for findings they reported before (`noLongerReported`). A scan counts as the main
 * branch's when its `branch` is the main branch, or — with no branch given — when its commit is the
 * main branch's tip (one read, only when there is a PR to judge). Returns the ids of the PRs closed.
 */
export async function closeStalePullRequests(job: ScanJob, reported: readonly Pick<Finding, 'fingerprint'>[]): Promise<number[]> {
  const { deps, lead: scan, repo, stores, pullRequest: scope } = job;
  const { client } = job.serviceAccount();
  const pullRequests = stores.pullRequests;
  // A pull request's scan judges only that PR's own fixes; a main-branch scan only the main branch's.
  const open = await openInScope(job);
  if (open.length === 0) return [];
  const findings = stores.findings;
  const byId = new Map<string, Finding>();
  for (const pr of open) {
    for (const id of pr.findingIds) {
      const finding = await findings.get(scan.repoUuid, id);
      if (finding) byId.set(id, finding);
    }
  }
  // An analysis that already ran on this commit (an upload processed earlier) is not a later scan.
  const doneHere = await stores.scans.analysesDoneAt(scan.repoUuid, scan.commit, scan.id);
  const analyses = new Set(job.analyses.filter((analysis) => !doneHere.has(analysis)));
  if (analyses.size === 0) return [];
  const candidates = pullRequestsToClose(open, byId, { analyses, commit: scan.commit, reportedFingerprints: new Set(reported.map((f) => f.fingerprint)) });
  if (candidates.length === 0) return [];
  if (!scope) {
    const mainTip = scan.branch === undefined ? (await client.getBranch(repo, scan.mainBranch))?.hash : undefined;
    if (!scansMainBranch(scan, mainTip)) return [];
  }

  const closed: number[] = [];
  for (const id of candidates) {
    const pr = open.find((candidate) => candidate.id === id);
    if (!pr) continue;
    const gone = pr.findingIds.flatMap((fid) => byId.get(fid) ?? []);
    const at = deps.clock.now().toISOString();
    // Findings first: `fixed` survives the decline below (only findings still carried get their fix marked declined).
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

/** The open remediation PRs the job's scans speak for: a pull request's own fixes, or the main branch's. */
export async function openInScope(job: ScanJob) {
  const { stores, lead, pullRequest: scope } = job;
  if (scope) return stores.pullRequests.listOpenUnder(lead.repoUuid, pullRequestBranchPrefix(scope.id));
  return (await stores.pullRequests.listOpen(lead.repoUuid)).filter((pr) => pullRequestOfBranch(pr.branch) === undefined);
}
