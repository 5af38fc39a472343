import { isAppError } from '../../domain/errors';
import { emptyProgress, ScansRepository } from '../../storage/scans-repository';
import type { Deps } from '../deps';
import { getPolicy } from '../settings-service';
import { publishScanPullRequests } from '../pull-requests/publish-scan';
import { publishCodeInsights } from '../insights/publish-report';
import { mergeFindings } from './merge-findings';
import { codeAccessFor } from './source-files';
import { resolveAbsolutePaths } from './resolve-paths';
import { loadUploadFindings } from '../upload/normalise-upload';

export type ProcessOutcome = { kind: 'done' | 'skipped' | 'failed' | 'requeued'; detail: string };

/** How long a scan waits before trying again when another scan of its repository is running. */
const REPOSITORY_BUSY_DELAY_SECONDS = 30;

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
  // One scan job per repository at a time (a lock older than 15 minutes is taken over): two
  // overlapping uploads must not race for the same branches and pull requests.
  if (!(await scans.acquireLock(scan.repoUuid, scan.id, deps.clock.now()))) {
    await deps.queue.push({ type: 'process-scan', workspaceId: scan.workspaceId, scanId: scan.id }, { delaySeconds: REPOSITORY_BUSY_DELAY_SECONDS });
    deps.logger.info('Scan waits for another scan of its repository', { scanId: scan.id });
    return { kind: 'requeued', detail: 'another scan of this repository is running' };
  }
  const startedAt = deps.clock.now();
  await scans.update(scan.id, { status: 'processing' }, startedAt.toISOString());
  try {
    // Absolute CI paths the web trigger could not resolve are matched against the repository's files (issue 4).
    // The upload's body is normalised again here; scans stored before bodies were kept have their findings stored.
    const uploaded = (await loadUploadFindings(deps, scan.id)) ?? (await scans.loadNormalisedFindings(scan.id));
    const normalised = await resolveAbsolutePaths(deps, scan, uploaded);
    const policy = await getPolicy(deps, scan.workspaceId);
    // One file cache per job: triage reads the code around findings, the fix step reuses those reads.
    const code = await codeAccessFor(deps, scan);
    const findings = await mergeFindings(deps, scan, normalised, policy, code);
    // ── Pull requests (issue 7): resumable; each group's steps are persisted in scan.progress.
    // Stale PRs are closed even with automatic PRs off; new fixes only when the policy allows.
    const published = await publishScanPullRequests(deps, scan, findings, policy, {
      startedAt,
      progress: scan.progress ?? emptyProgress(),
      ...('sources' in code ? { sources: code.sources } : {}),
    });
    const { progress, pullRequests } = published;
    if (published.kind === 'continue') {
      // Out of request budget or time: the rest runs in a new job; the lock stays with this scan.
      progress.continuations += 1;
      await scans.update(scan.id, { status: 'queued', progress, pullRequests }, deps.clock.now().toISOString());
      await deps.queue.push({ type: 'process-scan', workspaceId: scan.workspaceId, scanId: scan.id }, { delaySeconds: published.delaySeconds });
      deps.logger.info('Scan continues in a new job', { scanId: scan.id, reason: published.reason });
      return { kind: 'requeued', detail: `continues after ${published.reason}` };
    }
    // Code Insights after the PRs, so annotations link to them; a failure is noted, never fatal.
    await publishCodeInsights(deps, scan);
    await scans.update(scan.id, { status: 'done', pullRequests, progress }, deps.clock.now().toISOString());
    await scans.releaseLock(scan.repoUuid, scan.id);
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
    // A retried job keeps the repository's lock (it resumes); a failed scan gives it up.
    await scans.releaseLock(scan.repoUuid, scan.id);
    if (!isAppError(error)) {
      await scans.update(scan.id, { status: 'failed', error: 'Processing failed after several attempts because of an internal error.' }, deps.clock.now().toISOString());
      throw error;
    }
    await scans.update(scan.id, { status: 'failed', error: error.message }, deps.clock.now().toISOString());
    deps.logger.warn('Scan failed', { scanId: scan.id, code: error.code });
    return { kind: 'failed', detail: error.message };
  }
}
