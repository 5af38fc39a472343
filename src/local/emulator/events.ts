import type { EmulatorState, PullRequestRecord, RepositoryRecord, UserRecord } from './model';
import { findUserByUuid, findWorkspace } from './model';

/**
 * Forge Bitbucket product events for pull requests that left OPEN (merged → `fulfilled`,
 * declined → `rejected`), in the payload shape Forge documents
 * (developer.atlassian.com/platform/forge/events-reference/bitbucket, "Pull request events").
 * The emulator compares pull request states around every changing request, so a merge or decline
 * through the REST API or the web page buttons raises one event (admin routes stay silent).
 */

export type PullRequestEventType = 'avi:bitbucket:fulfilled:pullrequest' | 'avi:bitbucket:rejected:pullrequest';

export interface PullRequestEvent {
  eventType: PullRequestEventType;
  timestamp: string;
  selfGenerated: boolean;
  actor: { type: string; accountId: string; uuid: string };
  repository: { uuid: string; slug: string };
  project: { uuid: string };
  workspace: { uuid: string };
  pullrequest: {
    id: number;
    state: string;
    source: { branch: string; commit: { hash: string } };
    destination: { branch: string; commit: { hash: string } };
    mergeCommit?: { hash: string };
    title: { truncated: boolean; value: string };
    author: { type: string; accountId: string; uuid: string; displayName: string };
    createdOn: string;
    updatedOn: string;
  };
}

const eventTypes: Partial<Record<PullRequestRecord['state'], PullRequestEventType>> = {
  MERGED: 'avi:bitbucket:fulfilled:pullrequest',
  DECLINED: 'avi:bitbucket:rejected:pullrequest',
};

/** Who a change made without a user (the web page buttons) is attributed to. */
const EMULATOR_ACTOR = { type: 'user', accountId: 'emulator', uuid: '{00000000-0000-4000-8000-000000000000}' };

const key = (repo: RepositoryRecord, pr: PullRequestRecord) => `${repo.uuid}#${pr.id}`;

/** The OPEN pull requests now, to compare after a change. */
export function openPullRequests(state: EmulatorState): Set<string> {
  const open = new Set<string>();
  for (const repo of state.repositories) for (const pr of repo.pullRequests) if (pr.state === 'OPEN') open.add(key(repo, pr));
  return open;
}

/** Events for pull requests that were open in `before` and are merged or declined now. */
export function closedSince(before: ReadonlySet<string>, state: EmulatorState, user: UserRecord | undefined): PullRequestEvent[] {
  const events: PullRequestEvent[] = [];
  for (const repo of state.repositories) {
    for (const pr of repo.pullRequests) {
      const eventType = eventTypes[pr.state];
      if (eventType && before.has(key(repo, pr))) events.push(pullRequestEvent(state, repo, pr, eventType, user));
    }
  }
  return events;
}

function pullRequestEvent(state: EmulatorState, repo: RepositoryRecord, pr: PullRequestRecord, eventType: PullRequestEventType, user: UserRecord | undefined): PullRequestEvent {
  const author = findUserByUuid(state, pr.authorUuid);
  const workspaceUuid = findWorkspace(state, repo.workspace)?.uuid ?? '';
  return {
    eventType,
    timestamp: new Date().toISOString(),
    selfGenerated: false,
    actor: user ? { type: 'user', accountId: user.accountId, uuid: user.uuid } : EMULATOR_ACTOR,
    repository: { uuid: repo.uuid, slug: repo.slug },
    // The emulator has no projects; the workspace stands in.
    project: { uuid: workspaceUuid },
    workspace: { uuid: workspaceUuid },
    pullrequest: {
      id: pr.id,
      state: pr.state,
      source: { branch: pr.sourceBranch, commit: { hash: pr.sourceCommit.slice(0, 12) } },
      destination: { branch: pr.destinationBranch, commit: { hash: pr.destinationCommit.slice(0, 12) } },
      ...(pr.mergeCommit ? { mergeCommit: { hash: pr.mergeCommit.slice(0, 12) } } : {}),
      title: { truncated: false, value: pr.title },
      author: { type: 'user', accountId: author?.accountId ?? '', uuid: pr.authorUuid, displayName: author?.displayName ?? 'Former user' },
      createdOn: pr.createdOn,
      updatedOn: pr.updatedOn,
    },
  };
}
