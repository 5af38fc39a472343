import { planGroup } from '../../domain/pr/lifecycle';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import type { Deps } from '../deps';
import { extendPullRequest } from './extend-pull-request';
import { openPullRequest } from './open-pull-request';
import { recordProposal } from './record-proposal';
import type { PublishContext, PublishOutcome } from './publish-context';
import type { FixGroup } from './select-fixable';

export type { PublishContext, PublishOutcome } from './publish-context';

/**
 * Publishes one fix group. The stored pull requests (`pull_requests` table) are the source of
 * truth, so no Bitbucket lookup precedes the work: an open PR on the group's branch gets the
 * findings it lacks as a new commit, otherwise a new PR is opened when the caps allow. A finding
 * whose fix a reviewer declined is never proposed again. Bitbucket is asked only to recover (a PR
 * created but not stored, a PR closed without our hearing): then the group is planned again.
 */
export async function publishFix(deps: Deps, context: PublishContext, group: FixGroup): Promise<PublishOutcome> {
  const pullRequests = new PullRequestsRepository(deps.db);
  for (let round = 0; round < 3; round += 1) {
    const stored = await pullRequests.findByBranch(context.scan.repoUuid, group.branch);
    const action = planGroup(group.findings, stored);
    let outcome: PublishOutcome | undefined;
    switch (action.kind) {
      case 'up-to-date': {
        const pr = stored.find((candidate) => candidate.id === action.pullRequestId);
        // A job that died after storing the PR but before updating its findings: finish that now.
        // Only findings the PR carries (a declined fix is never one of them).
        const unrecorded = group.findings.filter((finding) => finding.status === 'open' && !finding.fixDeclined && (pr?.findingIds.includes(finding.id) ?? false));
        if (pr && unrecorded.length > 0) await recordProposal(deps, pr, group.codemod, unrecorded, new Map());
        return { kind: 'existing', pullRequest: { id: action.pullRequestId, url: pr?.url ?? '' } };
      }
      case 'nothing':
        return stored.some((pr) => pr.state === 'DECLINED') ? { kind: 'declined-before' } : { kind: 'nothing-fixed', reasons: [action.reason] };
      case 'add': {
        const pr = stored.find((candidate) => candidate.id === action.pullRequestId);
        if (!pr) throw new Error('planGroup named a pull request that is not stored');
        outcome = await extendPullRequest(deps, context, group, pr, action.added);
        break;
      }
      case 'open':
        if (context.mayOpen && !context.mayOpen()) return { kind: 'waiting', findings: action.findings.length };
        outcome = await openPullRequest(deps, context, group, action.findings);
        break;
    }
    if (outcome) return outcome;
  }
  throw new Error(`The pull request of ${group.branch} kept changing while it was published; the job will retry.`);
}
