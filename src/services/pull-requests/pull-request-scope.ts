/**
 * Scans of a pull request (issue 16): which pull request a scan speaks for, which of its findings
 * the PR introduces, and the findings moved into the PR's own scope so they never touch the
 * destination branch's findings or pull requests.
 */
import { AppError, isAppError } from '../../domain/errors';
import type { NormalisedFinding } from '../../domain/finding';
import { inPullRequestScope } from '../../domain/pr/pull-request-scan';
import { samePlaceAndWeakness } from '../../domain/sarif/dedupe';
import type { PullRequestScope } from '../../storage/scans-repository';
import type { ScanJob } from '../scan/job-context';

/**
 * The pull request a scan job speaks for: the one the upload names (`pullRequest={id}`), else the
 * only open pull request from the scanned branch (not the main branch, not one of Remediate's own
 * `remediate/` branches). One Bitbucket call, remembered in the job's progress; `undefined` for a
 * scan of the main branch or of a branch without exactly one open pull request.
 */
export async function pullRequestScopeOf(job: ScanJob): Promise<PullRequestScope | undefined> {
  const { lead } = job;
  const known = lead.progress?.pullRequest;
  if (known !== undefined) return known ?? undefined;
  const named = lead.pullRequestId;
  if (named === undefined && (lead.branch === undefined || lead.branch === lead.mainBranch || lead.branch.startsWith('remediate/'))) return undefined;
  let access;
  try {
    access = job.serviceAccount();
  } catch (error) {
    if (!isAppError(error)) throw error;
    // Without a service account nothing is pushed anyway; a named pull request keeps its own scope.
    return named === undefined ? undefined : { id: named, sourceBranch: lead.branch ?? '', destinationBranch: lead.mainBranch, fork: false };
  }
  const { client } = access;
  const pr = named !== undefined
    ? await client.getPullRequest(job.repo, named).catch((error: unknown) => {
      if (isAppError(error) && error.code === 'not_found') throw new AppError('not_found', `Pull request #${named} of ${lead.repoFullName} was not found: check the upload's "pullRequest" parameter.`);
      throw error;
    })
    : await onlyOpenPullRequest(job, lead.branch ?? '');
  if (!pr || pr.sourceBranch.startsWith('remediate/')) return undefined;
  const fork = pr.sourceRepository !== undefined && pr.destinationRepository !== undefined
    && pr.sourceRepository.toLowerCase() !== pr.destinationRepository.toLowerCase();
  return {
    id: pr.id,
    sourceBranch: pr.sourceBranch,
    destinationBranch: pr.destinationBranch,
    fork,
    ...(pr.sourceCommit ? { sourceCommit: pr.sourceCommit } : {}),
    ...(pr.destinationCommit ? { destinationCommit: pr.destinationCommit } : {}),
  };
}

async function onlyOpenPullRequest(job: ScanJob, branch: string) {
  const open = await job.serviceAccount().client.listPullRequests(job.repo, { sourceBranch: branch, states: ['OPEN'] });
  return open.length === 1 ? open[0] : undefined;
}

/**
 * The scan's findings in the pull request's scope, each marked `introduced` when the PR brings it:
 * not already on the destination (no finding of the repository's own matches it by fingerprint,
 * alias, or place and weakness, unless that one is fixed), and in a file the PR changes (one
 * diffstat call; when it cannot be read, every file counts as changed).
 */
export async function inScopeOf(job: ScanJob, scope: PullRequestScope, findings: readonly NormalisedFinding[]): Promise<NormalisedFinding[]> {
  const { stores, repo, lead } = job;
  const fingerprintsOf = (f: NormalisedFinding) => [f.fingerprint, ...(f.aliases ?? [])];
  const byFingerprint = await stores.findings.findByFingerprints(lead.repoUuid, findings.flatMap(fingerprintsOf));
  const byAlias = await stores.findings.findByAliases(lead.repoUuid, findings.flatMap(fingerprintsOf).filter((fp) => !byFingerprint.has(fp)));
  const paths = [...new Set(findings.flatMap((f) => (f.location ? [f.location.path] : [])))];
  const near = paths.length > 0 ? await stores.findings.findInPaths(lead.repoUuid, paths) : [];
  const ruleClass = (finding: { ruleId: string; cwes: string[]; path: string }) => job.registry.find(finding)[0]?.id;
  const changed = await changedFiles(job, scope);
  return findings.map((finding) => {
    const stored = fingerprintsOf(finding).map((fp) => byFingerprint.get(fp) ?? byAlias.get(fp)).find((known) => known !== undefined)
      ?? near.find((known) => samePlaceAndWeakness(finding, known.finding, ruleClass));
    const onDestination = stored !== undefined && stored.finding.status !== 'fixed';
    const inChangedFile = finding.location !== undefined && (changed === undefined || changed.has(finding.location.path));
    return inPullRequestScope(finding, scope.id, !onDestination && inChangedFile);
  });
}

/** The files the pull request changes against its destination, or undefined when Bitbucket cannot tell. */
async function changedFiles(job: ScanJob, scope: PullRequestScope): Promise<Set<string> | undefined> {
  // A fork's commits are not the destination repository's to diff: every file counts as changed.
  if (scope.fork || !scope.sourceCommit || !scope.destinationCommit) return undefined;
  try {
    const stats = await job.serviceAccount().client.diffstat(job.repo, `${job.lead.commit}..${scope.destinationCommit}`);
    return new Set(stats.flatMap((stat) => [stat.newPath, stat.oldPath].filter((path): path is string => path !== undefined)));
  } catch (error) {
    if (!isAppError(error)) throw error;
    job.deps.logger.warn('The files a pull request changes could not be read', { scanId: job.lead.id, code: error.code });
    return undefined;
  }
}
