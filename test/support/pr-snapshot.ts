/** What a repository's remediation work looks like in the emulator, comparable across workspaces and runs. */
import type { Harness } from './harness';

export interface PrSnapshot {
  pullRequests: { sourceBranch: string; title: string; state: string; files: Record<string, string> }[];
  branches: string[];
}

export function prSnapshot(h: Harness, workspace: string, repoSlug = 'app'): PrSnapshot {
  const repo = h.host.emulator.state.repositories.find((r) => r.workspace === workspace && r.slug === repoSlug);
  if (!repo) throw new Error(`no repository ${workspace}/${repoSlug}`);
  const main = repo.commits[repo.branches[repo.mainBranch] ?? '']?.tree ?? {};
  /** Files the PR's branch (its tip, or the PR's last commit once the branch is gone) changes against main. */
  const changedFiles = (branch: string, lastCommit: string) => {
    const tree = repo.commits[repo.branches[branch] ?? lastCommit]?.tree ?? {};
    const files: Record<string, string> = {};
    for (const [path, entry] of Object.entries(tree)) {
      if (main[path]?.blob !== entry.blob) files[path] = repo.blobs[entry.blob] ?? '';
    }
    return files;
  };
  return {
    pullRequests: repo.pullRequests
      .map((pr) => ({ sourceBranch: pr.sourceBranch, title: pr.title, state: pr.state, files: changedFiles(pr.sourceBranch, pr.sourceCommit) }))
      .sort((a, b) => a.sourceBranch.localeCompare(b.sourceBranch) || a.state.localeCompare(b.state)),
    branches: Object.keys(repo.branches).filter((name) => name.startsWith('remediate/')).sort(),
  };
}
