import { pullRequestBranchPrefix } from '../../domain/pr/pull-request-scan';
import { isAppError } from '../../domain/errors';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import { serviceAccountClient } from '../bitbucket-access';
import type { Deps } from '../deps';
import { syncPullRequestState } from './sync';

/** The comment on a fix pull request whose pull request left OPEN. */
export const fixForClosedPullRequestComment = (prId: number, state: 'MERGED' | 'DECLINED'): string =>
  `Remediate is closing this pull request: pull request #${prId}, whose findings it fixes, was ${state === 'MERGED' ? 'merged' : 'declined'}, so these changes can no longer go into it.${
    state === 'MERGED' ? ' Findings that reached the destination branch are proposed again by its next scan.' : ''}`;

/**
 * A scanned pull request was merged or declined: its own fix pull requests (`remediate/pr-{id}/…`)
 * are declined with a comment. One database read when it has none; Bitbucket is asked only when
 * there is something to close. Returns the fix pull requests declined.
 */
export async function closeFixesOfPullRequest(deps: Deps, repoUuid: string, prId: number, state: 'MERGED' | 'DECLINED'): Promise<number[]> {
  const pullRequests = new PullRequestsRepository(deps.db);
  const fixes = await pullRequests.listOpenUnder(repoUuid, pullRequestBranchPrefix(prId));
  const first = fixes[0];
  if (!first) return [];
  const { client } = await serviceAccountClient(deps, first.workspaceId);
  const repo = { workspace: first.workspaceId, repo: repoUuid };
  const closed: number[] = [];
  for (const fix of fixes) {
    const at = deps.clock.now().toISOString();
    try {
      if (!fix.closingCommented) {
        await client.commentOnPullRequest(repo, fix.id, fixForClosedPullRequestComment(prId, state));
        await pullRequests.save({ ...fix, closingCommented: true, updatedAt: at });
      }
      await client.declinePullRequest(repo, fix.id);
    } catch (error) {
      // Merged or declined meanwhile: record what Bitbucket says instead.
      if (!isAppError(error) || (error.code !== 'bad_request' && error.code !== 'not_found')) throw error;
      const actual = error.code === 'not_found' ? undefined : await client.getPullRequest(repo, fix.id);
      if (actual) await syncPullRequestState(deps, repoUuid, fix.id, actual.state);
      continue;
    }
    await pullRequests.save({ ...fix, closingCommented: true, closedByApp: true, updatedAt: at });
    await syncPullRequestState(deps, repoUuid, fix.id, 'DECLINED');
    closed.push(fix.id);
  }
  deps.logger.info('Declined the fix pull requests of a closed pull request', { repoUuid, pullRequestId: prId, declined: closed.length });
  return closed;
}
