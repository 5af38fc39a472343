import { isAppError } from '../../domain/errors';
import { severities, type Finding } from '../../domain/finding';
import { findingReportedAgain } from '../../domain/pr/lifecycle';
import type { BitbucketClient } from '../../bitbucket/types';
import type { ScanProgress } from '../../storage/scans-repository';
import type { ScanJob } from '../scan/job-context';
import { publishFix } from './publish-fix';
import { completeDryRuns } from './late-dry-run';
import { policyAllowsFix, selectFixable, type FixGroup } from './select-fixable';
import { closeStalePullRequests, openInScope } from './close-stale';
import type { PullRequestLink } from './publish-context';
import { repositoryWebUrl } from './repository-ref';
import { pullRequestBranchPrefix } from '../../domain/pr/pull-request-scan';

/** A job stops starting groups after this long, well inside Forge's 900 s, and continues in a new job. */
const JOB_TIME_LIMIT_MS = 600_000;

export type PublishScanResult =
  | { kind: 'done'; pullRequests: PullRequestLink[]; progress: ScanProgress }
  /** Out of budget or time: the caller re-queues the job with this delay; `progress` holds every step so far. */
  | { kind: 'continue'; delaySeconds: number; reason: string; pullRequests: PullRequestLink[]; progress: ScanProgress };

/** Requests one group may need: one read per file, a script's attribute read, commit, PR and recovery. */
const groupCost = (findings: readonly Finding[]): number => new Set(findings.map((f) => f.location?.path)).size + 6;

/**
 * The pull-request part of a scan job: close PRs whose findings are gone (main-branch scans, also
 * when automatic PRs are off: PRs a person asked for live by the same rules), then — when the
 * policy allows automatic PRs — publish each fix group within the caps (`maxOpenPullRequests`, `maxNewPullRequestsPerScan`;
 * findings beyond them are counted as waiting), persisting each group's steps in the scan so a
 * retry or continuation resumes without repeating a branch, commit or PR.
 */
export async function publishScanPullRequests(
  job: ScanJob,
  findings: readonly Finding[],
  options: { progress: ScanProgress },
): Promise<PublishScanResult> {
  const { deps, lead: scan, policy, repo, stores, pullRequest: scope } = job;
  findings = await reopenReportedAgain(job, findings);
  const progress: ScanProgress = structuredClone(options.progress);
  const save = () => stores.scans.update(scan.id, { progress }, deps.clock.now().toISOString());
  // Fixes go into the main branch from its scans, into a pull request's own branch from the PR's
  // scans (issue 16), and nowhere from a fork or from another branch's scan (its code may not be on main).
  const opensFixes = policy.autoPullRequests && (scope ? !scope.fork : scan.branch === undefined || scan.branch === scan.mainBranch);
  // Findings whose file triage left unread get their dry run here, so they are fixed (or told why) too.
  const lateDryRun = (client: BitbucketClient) => 'sources' in job.code
    ? completeDryRuns({
      client, sources: job.code.sources, findings, wanted: (finding) => policyAllowsFix(finding, policy),
      policy, registry: job.registry, store: stores.findings, commit: scan.commit,
    })
    : Promise.resolve({ findings: [...findings], complete: true });
  // With automatic PRs off they are tried while the budget lasts (a person may still ask for the
  // fix, and the pages should say whether there is one), never at the cost of a continuation.
  const lateDryRunIfAffordable = async (): Promise<void> => {
    if (!('sources' in job.code)) return;
    try {
      await lateDryRun(job.serviceAccount().client);
    } catch (error) {
      if (!isAppError(error)) throw error;
      deps.logger.warn('Dry run of the fixes stopped early', { scanId: scan.id, code: error.code });
    }
  };
  // Nothing to close and nothing to open: no service account needed.
  if (!opensFixes && (scope?.fork || progress.staleClosed || (await openInScope(job)).length === 0)) {
    await lateDryRunIfAffordable();
    return { kind: 'done', pullRequests: [], progress };
  }
  const { client, account } = job.serviceAccount();
  const pullRequests = new Map<number, PullRequestLink>();

  const elapsed = () => deps.clock.now().getTime() - job.startedAt.getTime();
  const stop = (reason: string, delaySeconds: number): PublishScanResult => ({
    kind: 'continue', delaySeconds, reason, pullRequests: [...pullRequests.values()], progress,
  });

  try {
    if (!progress.staleClosed) {
      await closeStalePullRequests(job, findings);
      progress.staleClosed = true;
      await save();
    }
    if (!opensFixes) {
      await lateDryRunIfAffordable();
      return { kind: 'done', pullRequests: [], progress };
    }
    const late = await lateDryRun(client);
    findings = late.findings;
    if (!late.complete) {
      const hour = client.budget().remainingThisHour < 1;
      return stop(hour ? 'hourly request budget' : 'request budget', hour ? 900 : 1);
    }
    let openCount = (await stores.pullRequests.listOpen(scan.repoUuid)).length;
    // Findings the dry run could not fix are named in the description of a PR that changes their file.
    const unfixed = findings.filter((finding) => finding.fixOutcome?.kind === 'not-fixed' && finding.verdict === 'true_positive');
    const context = {
      client, account, scan, repo, repositoryWebUrl: repositoryWebUrl(deps, scan), unfixed,
      ...('sources' in job.code ? { sources: job.code.sources } : {}),
      ...(scope ? { destinationBranch: scope.sourceBranch } : {}),
    };
    const groups = selectFixable(findings, policy, job.registry, scope ? { branchPrefix: pullRequestBranchPrefix(scope.id) } : undefined);
    for (const group of byPriority(groups)) {
      const done = progress.groups[group.branch];
      if (done?.step === 'done') {
        if (done.pullRequestId !== undefined) {
          const stored = await stores.pullRequests.get(scan.repoUuid, done.pullRequestId);
          if (stored) pullRequests.set(stored.id, { id: stored.id, url: stored.url });
        }
        continue;
      }
      if (elapsed() > JOB_TIME_LIMIT_MS) return stop('time', 1);
      if (!client.canAfford(groupCost(group.findings))) {
        // Forge's 100 requests are per invocation-minute: a new job starts with a fresh budget at
        // once. Bitbucket's hour is the service account's: wait before trying again.
        const hour = client.budget().remainingThisHour < groupCost(group.findings);
        return stop(hour ? 'hourly request budget' : 'request budget', hour ? 900 : 1);
      }
      const outcome = await publishFix(deps, {
        ...context,
        ...(done ? { progress: done } : {}),
        onStep: async (branch, step) => {
          progress.groups[branch] = step;
          await save();
        },
        mayOpen: () => progress.opened < policy.maxNewPullRequestsPerScan && openCount < policy.maxOpenPullRequests,
      }, group);
      deps.logger.info('Fix group handled', { scanId: scan.id, branch: group.branch, outcome: outcome.kind });
      if (outcome.kind === 'opened') {
        progress.opened += 1;
        openCount += 1;
      }
      if (outcome.kind === 'waiting') progress.waitingForCap += outcome.findings;
      if ('pullRequest' in outcome) pullRequests.set(outcome.pullRequest.id, outcome.pullRequest);
      const commit = progress.groups[group.branch]?.commit;
      progress.groups[group.branch] = { step: 'done', ...(commit ? { commit } : {}), ...('pullRequest' in outcome ? { pullRequestId: outcome.pullRequest.id } : {}) };
      await save();
    }
  } catch (error) {
    // The client refuses a call that would overspend its budget before sending it: continue later.
    if (isAppError(error) && error.code === 'rate_limited' && typeof error.details?.budget === 'string') {
      const after = Number(error.details.retryAfterSeconds ?? 900);
      const delay = error.details.budget === 'minute' ? 1 : Math.min(900, Number.isFinite(after) ? after : 900);
      return stop(`${error.details.budget} budget`, delay);
    }
    throw error;
  }
  return { kind: 'done', pullRequests: [...pullRequests.values()], progress };
}

/** Under the caps the most severe groups go first, then the larger; the branch name breaks ties so every run agrees. */
function byPriority(groups: FixGroup[]): FixGroup[] {
  const rank = (group: FixGroup) => Math.min(...group.findings.map((finding) => severities.indexOf(finding.severity)));
  return [...groups].sort((a, b) => rank(a) - rank(b) || b.findings.length - a.findings.length || a.branch.localeCompare(b.branch));
}

/** Findings `fixed` earlier that this main-branch scan reports again become `open` (stored). */
async function reopenReportedAgain(job: ScanJob, findings: readonly Finding[]): Promise<readonly Finding[]> {
  const at = job.deps.clock.now().toISOString();
  const result: Finding[] = [];
  for (const finding of findings) {
    const reopened = findingReportedAgain(finding, job.lead, at);
    if (reopened) await job.stores.findings.update(reopened);
    result.push(reopened ?? finding);
  }
  return result;
}
