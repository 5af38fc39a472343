import { z } from 'zod';
import type { Deps } from '../services/deps';
import { syncPullRequestState, type SyncResult } from '../services/pull-requests/sync';
import { closeFixesOfPullRequest } from '../services/pull-requests/pull-request-closed';
import { wrapUuid } from '../services/storage-keys';
import { PullRequestsRepository } from '../storage/pull-requests-repository';

/** The Bitbucket product events the `pull-request-events` trigger subscribes to, and what each means. */
const pullRequestEventStates = {
  'avi:bitbucket:fulfilled:pullrequest': 'MERGED',
  'avi:bitbucket:rejected:pullrequest': 'DECLINED',
} as const;

const uuid = z.string().regex(/^\{?[0-9a-fA-F-]{36}\}?$/, 'a Bitbucket {uuid}');

/** What we read of a Forge Bitbucket pull request event (the payload carries more). */
const eventSchema = z.object({
  eventType: z.enum(Object.keys(pullRequestEventStates) as [keyof typeof pullRequestEventStates]),
  repository: z.object({ uuid }),
  workspace: z.object({ uuid }).optional(),
  pullrequest: z.object({ id: z.number().int().positive() }),
});

export type PullRequestEventOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'synced'; result: SyncResult }
  /** A scanned pull request left OPEN: its own fix pull requests were declined. */
  | { kind: 'fixes-closed'; declined: number[] };

/**
 * The `pull-request-events` trigger: Bitbucket says a pull request was merged or declined. Only
 * Remediate's own pull requests (rows in `pull_requests`) are acted on, with one database lookup
 * and no Bitbucket call; the state comes from the event type. A payload we cannot read is logged
 * and dropped, never thrown: the platform would only deliver it again, and the scheduled reconcile
 * catches anything missed.
 */
export function makePullRequestEventHandler(getDeps: () => Promise<Deps>) {
  return async (event: unknown, _context?: unknown): Promise<PullRequestEventOutcome> => {
    const deps = await getDeps();
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`;
      deps.logger.warn('Dropped a pull request event it could not read', { reason: reason.slice(0, 200) });
      return { kind: 'ignored', reason };
    }
    const { eventType, repository, pullrequest } = parsed.data;
    const repoUuid = wrapUuid(repository.uuid);
    const state = pullRequestEventStates[eventType];
    // Remediate declines its own PR when its findings are gone: that is not a review declining the fix.
    if (state === 'DECLINED' && (await new PullRequestsRepository(deps.db).get(repoUuid, pullrequest.id))?.closedByApp) {
      return { kind: 'ignored', reason: 'declined by Remediate itself' };
    }
    const result = await syncPullRequestState(deps, repoUuid, pullrequest.id, state);
    if (!result.known) {
      // Someone's pull request that Remediate scanned: its own fixes cannot go anywhere now.
      const declined = await closeFixesOfPullRequest(deps, repoUuid, pullrequest.id, state);
      return declined.length > 0 ? { kind: 'fixes-closed', declined } : { kind: 'ignored', reason: 'not a Remediate pull request' };
    }
    deps.logger.info('Pull request event handled', { eventType, pullRequestId: pullrequest.id, changed: result.changed, findingsUpdated: result.findingsUpdated });
    return { kind: 'synced', result };
  };
}
