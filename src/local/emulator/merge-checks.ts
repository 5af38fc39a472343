/**
 * Custom merge checks, as Bitbucket Cloud runs a Forge app's `bitbucket:mergeCheck`: per repository
 * an admin makes the app's check Required (`POST /_admin/merge-checks/{ws}/{repo}`); Bitbucket then
 * runs it when someone merges (`on-merge`: a failure refuses the merge with a 400) and when code is
 * pushed to an open pull request's source branch (`on-code-pushed`: the result is shown on the pull
 * request). The payload is the one Forge documents (`PRCheckEvent`); a check that throws has failed.
 */
import { findRepository, findWorkspace, type EmulatorState, type PullRequestRecord, type RepositoryRecord } from './model';

export type MergeCheckTrigger = 'on-merge' | 'on-code-pushed';

/** What Forge gives a merge check (developer.atlassian.com/platform/forge/manifest-reference/modules/bitbucket-merge-check). */
export interface MergeCheckEvent {
  workspace: { uuid: string };
  repository: { uuid: string };
  pullrequest: { id: number };
  trigger: { type: MergeCheckTrigger };
  mergeProperties?: { commitMessage: string; commitMessageTruncated: boolean; mergeStrategy: string; closeSourceBranch: boolean };
}

export interface MergeCheckResult {
  success: boolean;
  message?: string;
}

export type MergeCheckRunner = (event: MergeCheckEvent) => Promise<MergeCheckResult>;

export function mergeCheckEvent(state: EmulatorState, repo: RepositoryRecord, pr: PullRequestRecord, trigger: MergeCheckTrigger): MergeCheckEvent {
  const workspace = findWorkspace(state, repo.workspace);
  return {
    workspace: { uuid: workspace?.uuid ?? '' },
    repository: { uuid: repo.uuid },
    pullrequest: { id: pr.id },
    trigger: { type: trigger },
    ...(trigger === 'on-merge'
      ? { mergeProperties: { commitMessage: `Merged in ${pr.sourceBranch} (pull request #${pr.id})`, commitMessageTruncated: false, mergeStrategy: 'merge_commit', closeSourceBranch: pr.closeSourceBranch } }
      : {}),
  };
}

/** The pull request a merge request names: the REST merge or the web page's Merge button. */
export function mergeTarget(state: EmulatorState, method: string, path: string): { repo: RepositoryRecord; pr: PullRequestRecord } | undefined {
  if (method !== 'POST') return undefined;
  const match = /^\/2\.0\/repositories\/([^/]+)\/([^/]+)\/pullrequests\/(\d+)\/merge\/?$/.exec(path) ?? /^\/([^/_][^/]*)\/([^/]+)\/pull-requests\/(\d+)\/merge$/.exec(path);
  if (!match) return undefined;
  const repo = findRepository(state, decodeURIComponent(match[1] ?? ''), decodeURIComponent(match[2] ?? ''));
  const pr = repo?.pullRequests.find((candidate) => candidate.id === Number(match[3]));
  return repo && pr ? { repo, pr } : undefined;
}

/** Source-branch tips of open pull requests in repositories whose check is Required, to see pushes. */
export function checkedSourceTips(state: EmulatorState): Map<string, string> {
  const tips = new Map<string, string>();
  for (const repo of state.repositories) {
    if (!repo.mergeCheckRequired) continue;
    for (const pr of repo.pullRequests) {
      if (pr.state === 'OPEN') tips.set(`${repo.uuid}#${pr.id}`, repo.branches[pr.sourceBranch] ?? '');
    }
  }
  return tips;
}

/** Open pull requests whose source branch moved since `before` (code pushed). */
export function pushedSince(state: EmulatorState, before: ReadonlyMap<string, string>): { repo: RepositoryRecord; pr: PullRequestRecord }[] {
  const pushed: { repo: RepositoryRecord; pr: PullRequestRecord }[] = [];
  for (const repo of state.repositories) {
    if (!repo.mergeCheckRequired) continue;
    for (const pr of repo.pullRequests) {
      const key = `${repo.uuid}#${pr.id}`;
      if (pr.state === 'OPEN' && before.has(key) && before.get(key) !== (repo.branches[pr.sourceBranch] ?? '')) pushed.push({ repo, pr });
    }
  }
  return pushed;
}

/** Runs the check; a check that throws or answers nonsense has failed, as on Bitbucket. */
export async function runCheck(runner: MergeCheckRunner, state: EmulatorState, repo: RepositoryRecord, pr: PullRequestRecord, trigger: MergeCheckTrigger): Promise<MergeCheckResult> {
  let result: MergeCheckResult;
  try {
    const answer = await runner(mergeCheckEvent(state, repo, pr, trigger));
    result = typeof answer?.success === 'boolean' ? answer : { success: false, message: 'The merge check gave no result.' };
  } catch (error) {
    result = { success: false, message: `The merge check failed to run: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500) };
  }
  pr.mergeCheck = { success: result.success, message: (result.message ?? '').slice(0, 2000), trigger, at: new Date().toISOString() };
  return result;
}

/** Bitbucket's answer to a merge a Required check refuses. */
export const mergeRefusedBody = (message: string | undefined) => ({
  type: 'error',
  error: {
    message: "You can't merge until you resolve all merge checks.",
    detail: `Remediate: ${message ?? 'the check failed.'}`,
    fields: { merge_checks: [`Remediate: ${message ?? 'the check failed.'}`] },
  },
});
