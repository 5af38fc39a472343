/**
 * One scan job's context, built once and passed to every step (as Probot hands each handler one
 * context): the uploads processed together, the workspace policy, the repository, the service
 * account's client, the file cache shared by triage and fixes, and the stores. No step reads the
 * policy again or builds a second client, so every Bitbucket call of the job counts against one
 * budget.
 */
import type { BitbucketClient, RepoRef } from '../../bitbucket/types';
import { createDefaultRegistry, type CodemodRegistry } from '../../domain/codemods/registry';
import { AppError, isAppError } from '../../domain/errors';
import { FindingsRepository } from '../../storage/findings-repository';
import { PullRequestsRepository } from '../../storage/pull-requests-repository';
import { ScansRepository, type PullRequestScope, type Scan } from '../../storage/scans-repository';
import { serviceAccountClient } from '../bitbucket-access';
import type { Deps } from '../deps';
import type { Policy } from '../policy';
import { repoOf } from '../pull-requests/repository-ref';
import { getPolicy, type ServiceAccount } from '../settings-service';
import { SourceFiles, type CodeAccess } from './source-files';

export interface ScanJob {
  deps: Deps;
  /** The scan whose queue job runs the batch: it holds the repository's lock and the job's progress. */
  lead: Scan;
  /** Every upload of the lead's (repository, commit) processed together, oldest first (the lead among them). */
  batch: Scan[];
  /** The analyses (`tool|category`) of the batch's uploads, in upload order. */
  analyses: string[];
  policy: Policy;
  repo: RepoRef;
  registry: CodemodRegistry;
  stores: { scans: ScansRepository; findings: FindingsRepository; pullRequests: PullRequestsRepository };
  /** The code triage and fixes read: the job's file cache, or why there is none. */
  code: CodeAccess;
  startedAt: Date;
  /** The service account's client and credentials; throws `not_configured` (with what is missing) when there is none. */
  serviceAccount(): { client: BitbucketClient; account: ServiceAccount };
  /** The pull request the job speaks for (issue 16), once found; undefined for the repository's own scans. */
  pullRequest?: PullRequestScope;
  /** What the job read once and shares between steps (see `repository-files.ts`). */
  cache: { files?: Promise<string[] | { unavailable: string }> };
}

/** The analyses of a scan; scans stored before analyses were kept count as their tools'. */
export const analysesOfScan = (scan: Pick<Scan, 'analyses' | 'tools'>): string[] =>
  scan.analyses ?? scan.tools.map((tool) => tool.name.trim().toLowerCase());

/**
 * Builds the job's context for `lead` and the uploads it processes with it. The policy is read and
 * the service account loaded once here; no Bitbucket call is made.
 */
export async function buildScanJob(deps: Deps, lead: Scan, batch: Scan[], startedAt: Date): Promise<ScanJob> {
  const stores = { scans: new ScansRepository(deps.db), findings: new FindingsRepository(deps.db), pullRequests: new PullRequestsRepository(deps.db) };
  const policy = await getPolicy(deps, lead.workspaceId);
  let access: { client: BitbucketClient; account: ServiceAccount } | AppError;
  try {
    access = await serviceAccountClient(deps, lead.workspaceId);
  } catch (error) {
    if (!isAppError(error)) throw error;
    access = error;
  }
  // A continuation keeps the triage its first job made (merge-findings), so it reads nothing for
  // triage: the budget goes to the pull requests it was re-queued for.
  const continuing = (lead.progress?.continuations ?? 0) > 0;
  const code: CodeAccess = access instanceof AppError
    ? { unavailable: 'no Bitbucket service account is configured' }
    : { sources: new SourceFiles(access.client, repoOf(lead), lead.commit, continuing ? { triageReadLimit: 0 } : {}) };
  const analyses = [...new Set(batch.flatMap(analysesOfScan))];
  return {
    deps, lead, batch, analyses, policy, repo: repoOf(lead), registry: createDefaultRegistry(), stores, code, startedAt, cache: {},
    serviceAccount: () => {
      if (access instanceof AppError) throw access;
      return access;
    },
  };
}
