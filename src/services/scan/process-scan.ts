import { isAppError } from '../../domain/errors';
import { ScansRepository } from '../../storage/scans-repository';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import type { Deps } from '../deps';
import { serviceAccountClient } from '../bitbucket-access';
import { getPolicy } from '../settings-service';
import { publishCodeInsights } from '../insights/publish-report';
import { mergeFindings } from './merge-findings';
import { publishFix } from './publish-fix';
import { selectFixable } from './select-fixable';

export type ProcessOutcome = { kind: 'done' | 'skipped' | 'failed'; detail: string };

/**
 * The queued job for one upload: merge and triage its findings, fix what the policy allows, and
 * open remediation pull requests. Expected failures end the scan as `failed` with a message a
 * person can act on; unexpected ones are rethrown so the platform records and retries them.
 */
export async function processScan(deps: Deps, scanId: string, options: { finalAttempt?: boolean } = {}): Promise<ProcessOutcome> {
  const scans = new ScansRepository(deps.db);
  const scan = await scans.get(scanId);
  if (!scan) return { kind: 'skipped', detail: 'scan no longer exists' };
  if (scan.status === 'done' || scan.status === 'failed' || scan.status === 'receiving') {
    return { kind: 'skipped', detail: `scan is ${scan.status}` };
  }
  await scans.update(scan.id, { status: 'processing' }, deps.clock.now().toISOString());
  try {
    const normalised = await scans.loadNormalisedFindings(scan.id);
    const policy = await getPolicy(deps, scan.workspaceId);
    const findings = await mergeFindings(deps, scan, normalised, policy);
    const pullRequests: { id: number; url: string }[] = [];
    if (policy.autoPullRequests) {
      const { client, account } = await serviceAccountClient(deps, scan.workspaceId);
      const repository = await client.getRepository({ workspace: scan.workspaceId, repo: scan.repoUuid });
      const repo = { workspace: repository.workspace.slug, repo: repository.slug };
      const open = (await new PullRequestsRepository(deps.db).listForRepository(scan.repoUuid)).filter((pr) => pr.state === 'OPEN');
      let room = Math.min(policy.maxNewPullRequestsPerScan, policy.maxOpenPullRequests - open.length);
      for (const group of selectFixable(findings, policy)) {
        if (room <= 0) break;
        const outcome = await publishFix(deps, { client, account, scan, repo, repositoryWebUrl: repository.htmlUrl }, group.codemod, group.findings);
        deps.logger.info('Fix group handled', { scanId: scan.id, codemod: group.codemod.id, outcome: outcome.kind });
        if (outcome.kind === 'opened') {
          room -= 1;
          pullRequests.push(outcome.pullRequest);
        } else if (outcome.kind === 'existing') pullRequests.push(outcome.pullRequest);
      }
    }
    // Code Insights after the PRs, so annotations link to them; a failure is noted, never fatal.
    await publishCodeInsights(deps, scan);
    await scans.update(scan.id, { status: 'done', pullRequests }, deps.clock.now().toISOString());
    return { kind: 'done', detail: `${findings.length} findings, ${pullRequests.length} pull requests` };
  } catch (error) {
    // Rate limits and unexpected errors are worth another attempt: the queue retries the job, and
    // every step is safe to repeat (findings merge by fingerprint, an open PR is found, not recreated).
    const retryable = !isAppError(error) || error.code === 'rate_limited' || error.code === 'server_error';
    if (retryable && !options.finalAttempt) {
      const reason = isAppError(error) ? error.message : 'an internal error';
      await scans.update(scan.id, { status: 'queued', error: `Interrupted by ${reason}; it will be retried.` }, deps.clock.now().toISOString());
      throw error;
    }
    if (!isAppError(error)) {
      await scans.update(scan.id, { status: 'failed', error: 'Processing failed after several attempts because of an internal error.' }, deps.clock.now().toISOString());
      throw error;
    }
    await scans.update(scan.id, { status: 'failed', error: error.message }, deps.clock.now().toISOString());
    deps.logger.warn('Scan failed', { scanId: scan.id, code: error.code });
    return { kind: 'failed', detail: error.message };
  }
}
