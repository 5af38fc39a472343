import { isAppError } from '../../domain/errors';
import { blockingFindings, blockingItem, mergeCheckMessage, pullRequestScanComment } from '../../domain/pr/pull-request-scan';
import { PullRequestScansRepository } from '../../storage/pull-request-scans-repository';
import type { PullRequestScope } from '../../storage/scans-repository';
import { repositoryPageUrl } from '../insights/publish-report';
import type { ScanJob } from '../scan/job-context';

/**
 * After a pull request's scan: the one Remediate comment on the pull request (edited, never added
 * again), and the merge check's verdict for the scanned commit, kept in `pull_request_scans` so the
 * check answers from one row. One call to comment (a second only when the comment was deleted).
 */
export async function reportOnPullRequest(job: ScanJob, scope: PullRequestScope): Promise<void> {
  const { deps, lead, stores, policy } = job;
  const records = new PullRequestScansRepository(deps.db);
  const record = await records.get(lead.repoUuid, scope.id);
  // Statuses as publishing left them (fix proposed, PR links), for the findings seen at this commit.
  const findings = (await stores.findings.listAll(lead.repoUuid, scope.id)).filter((finding) => finding.commit === lead.commit);
  const blocking = blockingFindings(findings, policy.mergeCheckMinSeverity).map(blockingItem);
  const check = { success: blocking.length === 0, message: mergeCheckMessage(blocking, lead.commit), blocking: blocking.length };
  const text = pullRequestScanComment({ findings, commit: lead.commit, repositoryPageUrl: repositoryPageUrl(deps, lead), fork: scope.fork });
  let commentId = record?.commentId;
  try {
    const { client } = job.serviceAccount();
    commentId = await upsertComment(job, scope.id, commentId, text, client);
  } catch (error) {
    if (!isAppError(error)) throw error;
    deps.logger.warn('The pull request comment was not written', { scanId: lead.id, pullRequestId: scope.id, code: error.code });
  }
  await records.save({
    repoUuid: lead.repoUuid,
    prId: scope.id,
    sourceBranch: scope.sourceBranch,
    destinationBranch: scope.destinationBranch,
    fork: scope.fork,
    headCommit: scope.sourceCommit ?? lead.commit,
    scannedCommit: lead.commit,
    ...(commentId !== undefined ? { commentId } : {}),
    check,
    updatedAt: deps.clock.now().toISOString(),
  });
}

async function upsertComment(
  job: ScanJob,
  prId: number,
  commentId: number | undefined,
  text: string,
  client: ReturnType<ScanJob['serviceAccount']>['client'],
): Promise<number | undefined> {
  if (commentId !== undefined) {
    try {
      await client.updatePullRequestComment(job.repo, prId, commentId, text);
      return commentId;
    } catch (error) {
      // Someone deleted it: write it again (once), rather than lose what the scan found.
      if (!isAppError(error) || error.code !== 'not_found') throw error;
    }
  }
  return client.commentOnPullRequest(job.repo, prId, text);
}
