import type { CommitRecord, EmulatorState, PullRequestRecord, RepositoryRecord, UserRecord, WorkspaceRecord } from './model';
import { findRepository, findUserByUuid, findWorkspace } from './model';

/** The JSON documents bitbucket.org returns, trimmed to plausible essentials. */

const href = (url: string) => ({ href: url });

export const userJson = (user: UserRecord, base: string) => ({
  type: 'user',
  uuid: user.uuid,
  account_id: user.accountId,
  username: user.username,
  nickname: user.username,
  display_name: user.displayName,
  account_status: 'active',
  has_2fa_enabled: null,
  created_on: user.createdOn,
  links: { self: href(`${base}/2.0/users/${encodeURIComponent(user.uuid)}`), html: href(`${base}/${user.username}/`) },
});

/** A user as a PR author, reviewer or comment author; unknown uuids still render. */
export const accountRef = (state: EmulatorState, uuid: string) => {
  const user = findUserByUuid(state, uuid);
  return user
    ? { type: 'user', uuid, account_id: user.accountId, nickname: user.username, display_name: user.displayName }
    : { type: 'user', uuid, display_name: 'Former user' };
};

export const workspaceJson = (workspace: WorkspaceRecord, base: string) => ({
  type: 'workspace',
  uuid: workspace.uuid,
  slug: workspace.slug,
  name: workspace.name,
  is_private: true,
  is_privacy_enforced: false,
  forking_mode: 'allow_forks',
  created_on: workspace.createdOn,
  links: { self: href(`${base}/2.0/workspaces/${workspace.slug}`), html: href(`${base}/${workspace.slug}/`) },
});

export const repoHtml = (repo: RepositoryRecord, base: string) => `${base}/${repo.workspace}/${repo.slug}`;

export const repositoryJson = (state: EmulatorState, repo: RepositoryRecord, base: string) => {
  const workspace = findWorkspace(state, repo.workspace);
  return {
    type: 'repository',
    uuid: repo.uuid,
    slug: repo.slug,
    name: repo.slug,
    full_name: `${repo.workspace}/${repo.slug}`,
    is_private: repo.isPrivate,
    scm: 'git',
    has_issues: false,
    parent: null,
    mainbranch: Object.keys(repo.branches).length === 0 ? null : { type: 'branch', name: repo.mainBranch },
    workspace: { type: 'workspace', slug: repo.workspace, uuid: workspace?.uuid ?? '', name: workspace?.name ?? repo.workspace },
    created_on: repo.createdOn,
    updated_on: repo.createdOn,
    links: {
      self: href(`${base}/2.0/repositories/${repo.workspace}/${repo.slug}`),
      html: href(repoHtml(repo, base)),
      clone: [{ name: 'https', href: `${repoHtml(repo, base)}.git` }],
    },
  };
};

export const commitJson = (commit: CommitRecord, repo: RepositoryRecord, base: string) => ({
  type: 'commit',
  hash: commit.hash,
  date: commit.date,
  message: commit.message,
  author: { type: 'author', raw: commit.author, ...(commit.authorUuid === undefined ? {} : { user: { type: 'user', uuid: commit.authorUuid } }) },
  parents: commit.parents.map((hash) => ({ type: 'commit', hash })),
  links: { html: href(`${repoHtml(repo, base)}/commits/${commit.hash}`) },
});

export const branchJson = (name: string, commit: CommitRecord, repo: RepositoryRecord, base: string) => ({
  type: 'branch',
  name,
  target: commitJson(commit, repo, base),
  merge_strategies: ['merge_commit', 'squash', 'fast_forward'],
  default_merge_strategy: 'merge_commit',
  links: { html: href(`${repoHtml(repo, base)}/branch/${name}`) },
});

export const pullRequestHtml = (repo: RepositoryRecord, id: number, base: string) => `${repoHtml(repo, base)}/pull-requests/${id}`;

export const pullRequestJson = (state: EmulatorState, repo: RepositoryRecord, pr: PullRequestRecord, base: string) => {
  // An open PR follows its branches; a closed one keeps the commits it ended with.
  const endpoint = (branch: string, stored: string, home: RepositoryRecord = repo) => ({
    branch: { name: branch },
    commit: { type: 'commit', hash: pr.state === 'OPEN' ? (home.branches[branch] ?? stored) : stored },
    repository: { type: 'repository', full_name: `${home.workspace}/${home.slug}`, uuid: home.uuid },
  });
  const [forkWorkspace = '', forkSlug = ''] = pr.sourceRepository?.split('/') ?? [];
  const sourceHome = pr.sourceRepository ? (findRepository(state, forkWorkspace, forkSlug) ?? repo) : repo;
  return {
    type: 'pullrequest',
    id: pr.id,
    title: pr.title,
    description: pr.description,
    summary: { type: 'rendered', raw: pr.description, markup: 'markdown', html: '' },
    state: pr.state,
    draft: false,
    author: accountRef(state, pr.authorUuid),
    source: endpoint(pr.sourceBranch, pr.sourceCommit, sourceHome),
    destination: endpoint(pr.destinationBranch, pr.destinationCommit),
    reviewers: pr.reviewers.map((reviewer) => accountRef(state, reviewer.uuid)),
    participants: [],
    close_source_branch: pr.closeSourceBranch,
    merge_commit: pr.mergeCommit === null ? null : { type: 'commit', hash: pr.mergeCommit },
    comment_count: pr.comments.length,
    task_count: 0,
    created_on: pr.createdOn,
    updated_on: pr.updatedOn,
    links: {
      self: href(`${base}/2.0/repositories/${repo.workspace}/${repo.slug}/pullrequests/${pr.id}`),
      html: href(pullRequestHtml(repo, pr.id, base)),
    },
  };
};
