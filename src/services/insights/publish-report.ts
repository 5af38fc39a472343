import { ANNOTATIONS_PER_REQUEST } from '../../bitbucket/insights';
import type { BitbucketClient, RepoRef } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import { FindingsRepository } from '../../storage/findings-repository';
import { ScansRepository, type Scan } from '../../storage/scans-repository';
import { serviceAccountClient } from '../bitbucket-access';
import type { Deps } from '../deps';
import { repositoryWebUrl } from '../pull-requests/repository-ref';
import { getPolicy } from '../settings-service';
import type { Policy } from '../policy';
import { buildSecurityReport, REPORT_ID } from './report-content';

export type InsightsOutcome =
  | { kind: 'published'; annotations: number; result: 'PASSED' | 'FAILED' | 'PENDING' }
  | { kind: 'disabled' }
  | { kind: 'failed'; reason: string };

/** Where a report and an annotation without a fix PR link to: the Remediate page of the repository. */
export function repositoryPageUrl(deps: Deps, scan: Pick<Scan, 'repoFullName'>): string {
  return deps.repositoryPageUrl?.(scan.repoFullName) ?? repositoryWebUrl(deps, scan);
}

/**
 * Puts the `SECURITY` Code Insights report on the scanned commit, then its annotations in batches
 * of 100, when the workspace policy has `codeInsights` on. Run after a scan's pull requests are
 * opened so annotations link to them. Never throws for an expected failure: Code Insights is a
 * courtesy, so a refusal, a rate limit or a spent budget is logged (no secrets) and noted on the
 * scan, and the scan still succeeds. Unexpected errors (bugs) propagate.
 */
export async function publishCodeInsights(
  deps: Deps,
  scan: Scan,
  options: { client?: BitbucketClient; policy?: Pick<Policy, 'codeInsights'>; batchIds?: readonly string[]; prScope?: number } = {},
): Promise<InsightsOutcome> {
  const policy = options.policy ?? (await getPolicy(deps, scan.workspaceId));
  if (!policy.codeInsights) return { kind: 'disabled' };
  try {
    const client = options.client ?? (await serviceAccountClient(deps, scan.workspaceId)).client;
    // One report per commit: every finding last seen at this commit, whichever upload of it reported it.
    // A pull request's source commit: its own findings, those it introduces first (see report-content).
    const findings = (await new FindingsRepository(deps.db).listAll(scan.repoUuid, options.prScope)).filter((finding) => finding.commit === scan.commit);
    const { report, annotations } = buildSecurityReport(findings, repositoryPageUrl(deps, scan));
    // An earlier job for this commit left annotations that a PUT would keep (e.g. for a finding
    // dismissed since): start from an empty report then. The first job of a commit skips this call.
    const batch = new Set(options.batchIds ?? [scan.id]);
    const replacing = (await new ScansRepository(deps.db).listForRepository(scan.repoUuid)).some(
      (other) => !batch.has(other.id) && other.commit === scan.commit && other.status === 'done',
    );
    const requests = (replacing ? 2 : 1) + Math.ceil(annotations.length / ANNOTATIONS_PER_REQUEST);
    if (!client.canAfford(requests)) {
      return await noteFailure(deps, scan, `the request budget left in this run cannot cover its ${requests} requests`);
    }
    // UUIDs (with braces) name the repository in REST paths: no lookup of the slugs needed.
    const repo: RepoRef = { workspace: scan.workspaceId, repo: scan.repoUuid };
    if (replacing) await client.deleteReport(repo, scan.commit, REPORT_ID);
    await client.putReport(repo, scan.commit, REPORT_ID, report);
    await client.addAnnotations(repo, scan.commit, REPORT_ID, annotations);
    deps.logger.info('Code Insights report published', { scanId: scan.id, annotations: annotations.length, result: report.result });
    return { kind: 'published', annotations: annotations.length, result: report.result };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return noteFailure(deps, scan, `Bitbucket answered ${error.code}: ${error.message}`);
  }
}

async function noteFailure(deps: Deps, scan: Scan, reason: string): Promise<InsightsOutcome> {
  // AppError messages name the problem, never a token (the client redacts), so they may be stored.
  deps.logger.warn('Code Insights report not published', { scanId: scan.id, reason: reason.slice(0, 300) });
  await new ScansRepository(deps.db).update(
    scan.id,
    { error: `The scan succeeded, but its Code Insights report was not published: ${reason}`.slice(0, 1000) },
    deps.clock.now().toISOString(),
  );
  return { kind: 'failed', reason };
}
