/**
 * The Remediate custom merge check (`bitbucket:mergeCheck` `remediate-merge-check`, issue 16). It
 * fails a pull request whose latest scanned source commit introduces open findings that are true
 * positives or suspicious at or above the workspace's `mergeCheckMinSeverity`, naming them and
 * their fix pull requests. Without a scan of the pull request's latest commit it passes with a
 * message (or fails, when the policy says so). The verdict for the scanned commit is kept by the
 * scan job, so a check answers from one SQL read and no Bitbucket call when nothing changed; after
 * a push (`on-code-pushed`) one call learns the new head commit.
 */
import { sameCommit } from './pull-requests/publish-context';
import { PullRequestScansRepository } from '../storage/pull-request-scans-repository';
import { isAppError } from '../domain/errors';
import { serviceAccountClient } from './bitbucket-access';
import type { Deps } from './deps';
import { getPolicy } from './settings-service';

export interface MergeCheckEvent {
  workspace: { uuid: string };
  repository: { uuid: string };
  pullrequest: { id: number };
  trigger: { type: string };
}

export interface MergeCheckAnswer {
  success: boolean;
  message: string;
}

export async function runMergeCheck(deps: Deps, event: MergeCheckEvent): Promise<MergeCheckAnswer> {
  const repoUuid = event.repository.uuid;
  const prId = event.pullrequest.id;
  const records = new PullRequestScansRepository(deps.db);
  let record = await records.get(repoUuid, prId);
  if (record && event.trigger.type === 'on-code-pushed') {
    // Code was pushed: the head moved. Learn it, so the merge check knows the scan is behind.
    try {
      const { client } = await serviceAccountClient(deps, event.workspace.uuid);
      const pr = await client.getPullRequest({ workspace: event.workspace.uuid, repo: repoUuid }, prId);
      if (pr.sourceCommit && !sameCommit(pr.sourceCommit, record.headCommit)) {
        record = { ...record, headCommit: pr.sourceCommit, updatedAt: deps.clock.now().toISOString() };
        await records.save(record);
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      deps.logger.warn('The merge check could not read the pull request after a push', { pullRequestId: prId, code: error.code });
    }
  }
  if (record?.check && record.scannedCommit && sameCommit(record.headCommit, record.scannedCommit)) return record.check;
  const policy = await getPolicy(deps, event.workspace.uuid);
  const head = record?.headCommit ? ` (${record.headCommit.slice(0, 12)})` : '';
  const waiting = `Remediate has not received a scan of this pull request's latest commit${head}: upload the scan with pullRequest=${prId} from CI.`;
  return policy.mergeCheckWithoutScan === 'fail'
    ? { success: false, message: `${waiting} The workspace policy blocks merging until it arrives.` }
    : { success: true, message: waiting };
}
