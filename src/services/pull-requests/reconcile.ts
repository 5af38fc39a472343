import type { BitbucketClient, PullRequestState } from '../../bitbucket/types';
import { isAppError } from '../../domain/errors';
import { PullRequestChecksRepository, type PullRequestToCheck } from '../../storage/pull-request-checks-repository';
import { serviceAccountClient } from '../bitbucket-access';
import type { Deps } from '../deps';
import { syncPullRequestState } from './sync';

export interface ReconcileOptions {
  /** Bitbucket requests one run may send in all (default 80, under Forge's 100 per invocation-minute). */
  maxRequests?: number;
  /** Open pull requests one run looks at, at most (default 500). */
  maxPullRequests?: number;
  /** No new check starts after this long (default 40 s, inside a scheduled trigger's 55 s). */
  timeLimitMs?: number;
}

export interface ReconcileResult {
  /** Pull requests whose state Bitbucket was asked for (or that were passed over for good reason). */
  checked: number;
  /** Those that had left OPEN and were synced. */
  changed: { repoUuid: string; id: number; state: PullRequestState }[];
  /** Open pull requests this run did not reach; the next run starts with them. */
  leftForNextRun: number;
  stoppedBy?: 'budget' | 'time';
}

const DEFAULTS = { maxRequests: 80, maxPullRequests: 500, timeLimitMs: 40_000 } as const;

/** Codes after which the rest of a workspace's pull requests would fail the same way this run. */
const WORKSPACE_WIDE = new Set(['unauthorized', 'missing_scope', 'not_configured']);

/**
 * The safety net under the pull-request event trigger: asks Bitbucket for the state of stored OPEN
 * remediation pull requests, oldest-checked first, and syncs those that were merged, declined or
 * superseded. Bounded by a request budget and a time limit; every pull request looked at gets
 * `checked_at`, so successive runs cover them all. Workspaces without a service account are passed
 * over. Expected Bitbucket failures are logged and never stop the run for other workspaces;
 * unexpected errors propagate.
 */
export async function reconcilePullRequests(deps: Deps, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const limits = { ...DEFAULTS, ...options };
  const checks = new PullRequestChecksRepository(deps.db);
  const started = deps.clock.now().getTime();
  const candidates = await checks.oldestCheckedOpen(limits.maxPullRequests);
  const clients = new Map<string, BitbucketClient | undefined>();
  const spent = () => [...clients.values()].reduce((sum, client) => sum + (client?.budget().made ?? 0), 0);
  const result: ReconcileResult = { checked: 0, changed: [], leftForNextRun: candidates.length };

  for (const pr of candidates) {
    if (deps.clock.now().getTime() - started >= limits.timeLimitMs) {
      result.stoppedBy = 'time';
      break;
    }
    const client = await clientFor(deps, clients, pr.workspaceId);
    if (client && (spent() >= limits.maxRequests || !client.canAfford(1))) {
      result.stoppedBy = 'budget';
      break;
    }
    const outcome = client ? await checkOne(deps, client, pr) : 'passed-over';
    if (outcome === 'rate-limited') {
      result.stoppedBy = 'budget';
      break;
    }
    if (outcome === 'workspace-refused') clients.set(pr.workspaceId, undefined);
    if (typeof outcome === 'object') result.changed.push({ repoUuid: pr.repoUuid, id: pr.id, state: outcome.state });
    await checks.markChecked(pr.repoUuid, pr.id, deps.clock.now().toISOString());
    result.checked += 1;
    result.leftForNextRun -= 1;
  }
  // Quiet when there was nothing to look at (the local host runs this every minute).
  if (candidates.length > 0) deps.logger.info('Pull requests reconciled', {
    checked: result.checked, changed: result.changed.length, leftForNextRun: result.leftForNextRun, stoppedBy: result.stoppedBy ?? null, requests: spent(),
  });
  return result;
}

/** One client per workspace per run (undefined: no service account, or Bitbucket refused it). */
async function clientFor(deps: Deps, clients: Map<string, BitbucketClient | undefined>, workspaceId: string): Promise<BitbucketClient | undefined> {
  if (clients.has(workspaceId)) return clients.get(workspaceId);
  let client: BitbucketClient | undefined;
  try {
    client = (await serviceAccountClient(deps, workspaceId)).client;
  } catch (error) {
    if (!isAppError(error) || error.code !== 'not_configured') throw error;
    deps.logger.warn('Reconcile passed over a workspace without a service account', { workspaceId });
  }
  clients.set(workspaceId, client);
  return client;
}

type CheckOutcome = 'open' | 'passed-over' | 'rate-limited' | 'workspace-refused' | { state: PullRequestState };

async function checkOne(deps: Deps, client: BitbucketClient, pr: PullRequestToCheck): Promise<CheckOutcome> {
  try {
    // `{uuid}`s name the repository in REST paths; no slug lookup needed.
    const current = await client.getPullRequest({ workspace: pr.workspaceId, repo: pr.repoUuid }, pr.id);
    if (current.state === 'OPEN') return 'open';
    await syncPullRequestState(deps, pr.repoUuid, pr.id, current.state);
    return { state: current.state };
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === 'rate_limited') return 'rate-limited';
    deps.logger.warn('Reconcile could not read a pull request', { repoUuid: pr.repoUuid, pullRequestId: pr.id, code: error.code });
    return WORKSPACE_WIDE.has(error.code) ? 'workspace-refused' : 'passed-over';
  }
}
