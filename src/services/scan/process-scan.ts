import { isAppError } from '../../domain/errors';
import type { NormalisedFinding } from '../../domain/finding';
import { FindingSet } from '../../domain/sarif/dedupe';
import { emptyProgress, ScansRepository, type Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { publishScanPullRequests } from '../pull-requests/publish-scan';
import { publishCodeInsights } from '../insights/publish-report';
import { buildScanJob, type ScanJob } from './job-context';
import { mergeFindings } from './merge-findings';
import { resolveAbsolutePaths } from './resolve-paths';
import { repositoryFacts } from './repository-files';
import { inScopeOf, pullRequestScopeOf } from '../pull-requests/pull-request-scope';
import { reportOnPullRequest } from '../pull-requests/pull-request-report';
import { loadUploadFindings } from '../upload/normalise-upload';

export type ProcessOutcome = { kind: 'done' | 'skipped' | 'failed' | 'requeued'; detail: string };

/** How long a scan waits before trying again when another scan of its repository is running. */
const REPOSITORY_BUSY_DELAY_SECONDS = 30;

/**
 * The queued job for one upload, and for every other upload of the same (repository, commit)
 * waiting with it: they are processed together, as one combined upload would be. Their findings are
 * folded into the repository's and triaged once, the tree is listed and files read once, the pull
 * requests are published once, and one Code Insights report is put on the commit. Expected failures
 * end the uploads as `failed` with a message a person can act on; unexpected ones are rethrown so
 * the platform records and retries them.
 */
export async function processScan(deps: Deps, scanId: string, options: { finalAttempt?: boolean } = {}): Promise<ProcessOutcome> {
  const scans = new ScansRepository(deps.db);
  const scan = await scans.get(scanId);
  if (!scan) return { kind: 'skipped', detail: 'scan no longer exists' };
  if (scan.status === 'done' || scan.status === 'failed' || scan.status === 'receiving') {
    return { kind: 'skipped', detail: `scan is ${scan.status}` };
  }
  if (scan.batchId !== undefined && scan.batchId !== scan.id) {
    // Another upload's job claimed this one; it reports for both.
    const lead = await scans.get(scan.batchId);
    if (lead && lead.status !== 'failed') return { kind: 'skipped', detail: `processed with scan ${scan.batchId}` };
  }
  // One scan job per repository at a time (a lock older than 15 minutes is taken over): two
  // overlapping uploads must not race for the same branches and pull requests.
  if (!(await scans.acquireLock(scan.repoUuid, scan.id, deps.clock.now()))) {
    await deps.queue.push({ type: 'process-scan', workspaceId: scan.workspaceId, scanId: scan.id }, { delaySeconds: REPOSITORY_BUSY_DELAY_SECONDS });
    deps.logger.info('Scan waits for another scan of its repository', { scanId: scan.id });
    return { kind: 'requeued', detail: 'another scan of this repository is running' };
  }
  const startedAt = deps.clock.now();
  const batch = await scans.claimBatch(scan);
  const ids = batch.map((member) => member.id);
  await scans.updateMany(ids, { status: 'processing' }, startedAt.toISOString());
  try {
    const job = await buildScanJob(deps, scan, batch, startedAt);
    // A scan of a pull request's source commit (issue 16) keeps its findings in the PR's scope.
    const started = scan.progress ?? emptyProgress();
    const pullRequest = await pullRequestScopeOf(job);
    if (started.pullRequest === undefined) {
      started.pullRequest = pullRequest ?? null;
      await scans.update(scan.id, { progress: started }, deps.clock.now().toISOString());
    }
    if (pullRequest) job.pullRequest = pullRequest;
    const normalised = await batchFindings(job);
    const toMerge = pullRequest ? await inScopeOf(job, pullRequest, normalised) : normalised;
    const findings = await mergeFindings(deps, scan, toMerge, job.policy, job.code, {
      registry: job.registry,
      ...(pullRequest ? { prScope: pullRequest.id } : {}),
      repositoryFacts: (read) => repositoryFacts(job, read),
    });
    // ── Pull requests: resumable; each group's steps are persisted in the lead scan's progress.
    // Stale PRs are closed even with automatic PRs off; new fixes only when the policy allows.
    const published = await publishScanPullRequests(job, findings, { progress: started });
    const { progress, pullRequests } = published;
    if (published.kind === 'continue') {
      // Out of request budget or time: the rest runs in a new job; the lock stays with this scan.
      progress.continuations += 1;
      await scans.update(scan.id, { progress }, deps.clock.now().toISOString());
      await scans.updateMany(ids, { status: 'queued', pullRequests }, deps.clock.now().toISOString());
      await deps.queue.push({ type: 'process-scan', workspaceId: scan.workspaceId, scanId: scan.id }, { delaySeconds: published.delaySeconds });
      deps.logger.info('Scan continues in a new job', { scanId: scan.id, reason: published.reason });
      return { kind: 'requeued', detail: `continues after ${published.reason}` };
    }
    // The PR's comment and its merge check's verdict, then Code Insights (annotations link to the
    // PRs); a failure of either is noted, never fatal.
    if (pullRequest) await reportOnPullRequest(job, pullRequest);
    await publishCodeInsights(deps, scan, { client: safeClient(job), policy: job.policy, batchIds: ids, ...(pullRequest ? { prScope: pullRequest.id } : {}) });
    await scans.update(scan.id, { progress }, deps.clock.now().toISOString());
    await scans.updateMany(ids, { status: 'done', pullRequests }, deps.clock.now().toISOString());
    await scans.releaseLock(scan.repoUuid, scan.id);
    const together = ids.length > 1 ? ` from ${ids.length} uploads of one commit` : '';
    return { kind: 'done', detail: `${findings.length} findings${together}, ${pullRequests.length} pull requests` };
  } catch (error) {
    // Rate limits and unexpected errors are worth another attempt: the queue retries the job, and
    // every step is safe to repeat (findings merge by fingerprint, an open PR is found, not recreated).
    const retryable = !isAppError(error) || error.code === 'rate_limited' || error.code === 'server_error';
    if (retryable && !options.finalAttempt) {
      const reason = isAppError(error) ? error.message : 'an internal error';
      await scans.updateMany(ids, { status: 'queued', error: `Interrupted by ${reason}; it will be retried.` }, deps.clock.now().toISOString());
      throw error;
    }
    // A retried job keeps the repository's lock (it resumes); a failed scan gives it up.
    await scans.releaseLock(scan.repoUuid, scan.id);
    if (!isAppError(error)) {
      await scans.updateMany(ids, { status: 'failed', error: 'Processing failed after several attempts because of an internal error.' }, deps.clock.now().toISOString());
      throw error;
    }
    await scans.updateMany(ids, { status: 'failed', error: error.message }, deps.clock.now().toISOString());
    deps.logger.warn('Scan failed', { scanId: scan.id, code: error.code });
    return { kind: 'failed', detail: error.message };
  }
}

/**
 * The batch's findings as one combined upload would give them: each upload's findings (absolute
 * CI paths mapped with one listing of the tree for all of them), folded across uploads by
 * fingerprint and by place and weakness. Each upload's counts stay its own.
 */
async function batchFindings(job: ScanJob): Promise<NormalisedFinding[]> {
  const perUpload: { scan: Scan; findings: NormalisedFinding[] }[] = [];
  // Each upload's body is normalised again here (with its category); scans stored before bodies were kept have their findings stored.
  for (const member of job.batch) {
    const findings = (await loadUploadFindings(job.deps, member.id, member.category)) ?? (await job.stores.scans.loadNormalisedFindings(member.id));
    perUpload.push({ scan: member, findings });
  }
  const mapped = await resolveAbsolutePaths(job, perUpload);
  if (mapped.length === 1) return mapped[0]!;
  const set = new FindingSet((finding) => job.registry.find(finding)[0]?.id);
  for (const findings of mapped) for (const finding of findings) set.add(finding);
  return set.findings;
}

/** The job's client for Code Insights, or undefined when no service account is configured (it then notes why). */
function safeClient(job: ScanJob) {
  try {
    return job.serviceAccount().client;
  } catch (error) {
    if (isAppError(error)) return undefined;
    throw error;
  }
}
