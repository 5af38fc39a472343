import { isAppError } from '../domain/errors';
import type { BitbucketTransport } from './http';
import { bbqlString, repoPath } from './paths';
import { pullRequestSchema, type PullRequestJson } from './schemas';
import type { BitbucketClient, CreatePullRequest, PullRequest, PullRequestState, RepoRef } from './types';

type PullRequestApi = Pick<
  BitbucketClient,
  | 'createPullRequest'
  | 'getPullRequest'
  | 'listPullRequests'
  | 'updatePullRequest'
  | 'declinePullRequest'
  | 'commentOnPullRequest'
>;

export function toPullRequest(json: PullRequestJson): PullRequest {
  const pullRequest: PullRequest = {
    id: json.id,
    title: json.title,
    description: json.summary?.raw ?? json.description ?? '',
    state: json.state,
    sourceBranch: json.source.branch.name,
    destinationBranch: json.destination.branch.name,
    htmlUrl: json.links?.html?.href ?? '',
    reviewers: (json.reviewers ?? []).map((reviewer) => ({ uuid: reviewer.uuid })),
  };
  if (json.source.commit?.hash) pullRequest.sourceCommit = json.source.commit.hash;
  if (json.author?.uuid) pullRequest.authorUuid = json.author.uuid;
  return pullRequest;
}

export function pullRequestApi(http: BitbucketTransport): PullRequestApi {
  const prPath = (repo: RepoRef, id: number) => `${repoPath(repo)}/pullrequests/${id}`;

  const get = async (repo: RepoRef, id: number) => toPullRequest(await http.json(http.url(prPath(repo, id)), pullRequestSchema));

  const list = async (repo: RepoRef, filter: { sourceBranch?: string; states?: PullRequestState[] }) => {
    const url = http.url(`${repoPath(repo)}/pullrequests`, {
      q: filter.sourceBranch === undefined ? undefined : `source.branch.name=${bbqlString(filter.sourceBranch)}`,
      state: filter.states && filter.states.length > 0 ? filter.states : ['OPEN'],
      pagelen: 50,
    });
    return (await http.paginate(url, pullRequestSchema)).map(toPullRequest);
  };

  return {
    async createPullRequest(request: CreatePullRequest) {
      const body = {
        title: request.title,
        description: request.description,
        source: { branch: { name: request.sourceBranch } },
        destination: { branch: { name: request.destinationBranch } },
        close_source_branch: request.closeSourceBranch ?? true,
      };
      try {
        const json = await http.sendJson('POST', http.url(`${repoPath(request.repo)}/pullrequests`), body, pullRequestSchema);
        return toPullRequest(json);
      } catch (error) {
        // The PR may exist although the answer was lost: look before anyone creates a second one.
        if (!isAppError(error) || error.code !== 'server_error') throw error;
        const open = await list(request.repo, { sourceBranch: request.sourceBranch, states: ['OPEN'] });
        const landed = open.find((pr) => pr.destinationBranch === request.destinationBranch);
        if (landed) return landed;
        throw error;
      }
    },

    getPullRequest: get,
    listPullRequests: list,

    async updatePullRequest(repo, id, update) {
      // A PUT without `reviewers` clears them, so send back the ones the PR has.
      const current = await get(repo, id);
      const body = {
        title: update.title ?? current.title,
        description: update.description ?? current.description,
        reviewers: current.reviewers.map((reviewer) => ({ uuid: reviewer.uuid })),
      };
      return toPullRequest(await http.sendJson('PUT', http.url(prPath(repo, id)), body, pullRequestSchema));
    },

    async declinePullRequest(repo, id) {
      const url = http.url(`${prPath(repo, id)}/decline`);
      return toPullRequest(await http.json(url, pullRequestSchema, { method: 'POST' }));
    },

    async commentOnPullRequest(repo, id, markdown) {
      const url = http.url(`${prPath(repo, id)}/comments`);
      await http.send(url, { method: 'POST', body: JSON.stringify({ content: { raw: markdown } }), contentType: 'application/json' });
    },
  };
}
