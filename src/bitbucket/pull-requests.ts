import { isAppError } from '../domain/errors';
import type { BitbucketTransport } from './http';
import type { AssertKnownFields, Expect, RequestBody } from './openapi';
import { apiPath, bbqlString, repoParams } from './paths';
import { commentSchema, pullRequestSchema, type PullRequestJson } from './schemas';

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
import type { BitbucketClient, CreatePullRequest, PullRequest, PullRequestState, RepoRef } from './types';

type PullRequestApi = Pick<
  BitbucketClient,
  | 'createPullRequest'
  | 'getPullRequest'
  | 'listPullRequests'
  | 'updatePullRequest'
  | 'declinePullRequest'
  | 'commentOnPullRequest'
  | 'updatePullRequestComment'
>;

const PULL_REQUESTS = '/repositories/{workspace}/{repo_slug}/pullrequests';
/** `description` is accepted by bitbucket.org (Renovate sends it) though the description names only `summary`. */
type PullRequestBody = RequestBody<typeof PULL_REQUESTS, 'post'> & { description?: string };
const createBody = (request: CreatePullRequest) => ({
  title: request.title,
  description: request.description,
  source: { branch: { name: request.sourceBranch } },
  destination: { branch: { name: request.destinationBranch } },
  close_source_branch: request.closeSourceBranch ?? true,
});
const updateBody = (title: string, description: string, reviewers: { uuid: string }[]) => ({ title, description, reviewers });
const commentBody = (markdown: string) => ({ content: { raw: markdown } });
/** The bodies sent use only fields the OpenAPI description names. */
export type PullRequestBodyChecks = [
  Expect<AssertKnownFields<ReturnType<typeof createBody>, PullRequestBody>>,
  Expect<AssertKnownFields<ReturnType<typeof updateBody>, PullRequestBody>>,
  Expect<AssertKnownFields<ReturnType<typeof commentBody>, RequestBody<`${typeof PULL_REQUESTS}/{pull_request_id}/comments`, 'post'>>>,
];

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
  if (json.destination.commit?.hash) pullRequest.destinationCommit = json.destination.commit.hash;
  if (json.source.repository?.full_name) pullRequest.sourceRepository = json.source.repository.full_name;
  if (json.destination.repository?.full_name) pullRequest.destinationRepository = json.destination.repository.full_name;
  if (json.author?.uuid) pullRequest.authorUuid = json.author.uuid;
  return pullRequest;
}

export function pullRequestApi(http: BitbucketTransport): PullRequestApi {
  const prParams = (repo: RepoRef, id: number) => ({ ...repoParams(repo), pull_request_id: id });
  const prPath = (repo: RepoRef, id: number) => apiPath('get', '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}', prParams(repo, id));

  const get = async (repo: RepoRef, id: number) => toPullRequest(await http.json(http.url(prPath(repo, id)), pullRequestSchema));

  const list = async (repo: RepoRef, filter: { sourceBranch?: string; states?: PullRequestState[] }) => {
    const url = http.url(apiPath('get', '/repositories/{workspace}/{repo_slug}/pullrequests', repoParams(repo)), {
      q: filter.sourceBranch === undefined ? undefined : `source.branch.name=${bbqlString(filter.sourceBranch)}`,
      state: filter.states && filter.states.length > 0 ? filter.states : ['OPEN'],
      pagelen: 50,
    });
    return (await http.paginate(url, pullRequestSchema)).map(toPullRequest);
  };

  return {
    async createPullRequest(request: CreatePullRequest) {
      const body = createBody(request);
      const url = http.url(apiPath('post', '/repositories/{workspace}/{repo_slug}/pullrequests', repoParams(request.repo)));
      for (let attempt = 1; ; attempt += 1) {
        try {
          return toPullRequest(await http.sendJson('POST', url, body, pullRequestSchema));
        } catch (error) {
          // The PR may exist although the answer was lost: look before anyone creates a second one.
          // A 400 after such an attempt may be Bitbucket refusing a duplicate of our own PR.
          const ambiguous = isAppError(error) && error.code === 'server_error';
          if (!ambiguous && !(isAppError(error) && error.code === 'bad_request' && attempt > 1)) throw error;
          const open = await list(request.repo, { sourceBranch: request.sourceBranch, states: ['OPEN'] });
          const landed = open.find((pr) => pr.destinationBranch === request.destinationBranch);
          if (landed) return landed;
          if (!ambiguous || !(await http.pauseBeforeRetry(attempt))) throw error;
        }
      }
    },

    getPullRequest: get,
    listPullRequests: list,

    async updatePullRequest(repo, id, update) {
      // A PUT without `reviewers` clears them, so send back the ones the PR has.
      const current = await get(repo, id);
      const body = updateBody(
        update.title ?? current.title,
        update.description ?? current.description,
        current.reviewers.map((reviewer) => ({ uuid: reviewer.uuid })),
      );
      return toPullRequest(await http.sendJson(
        'PUT',
        http.url(apiPath('put', '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}', prParams(repo, id))),
        body,
        pullRequestSchema,
      ));
    },

    async declinePullRequest(repo, id) {
      const url = http.url(apiPath('post', '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/decline', prParams(repo, id)));
      return toPullRequest(await http.json(url, pullRequestSchema, { method: 'POST' }));
    },

    async commentOnPullRequest(repo, id, markdown) {
      const url = http.url(apiPath('post', '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments', prParams(repo, id)));
      const reply = await http.send(url, { method: 'POST', body: JSON.stringify(commentBody(markdown)), contentType: 'application/json' });
      const parsed = commentSchema.safeParse(safeJson(reply.body));
      return parsed.success ? parsed.data.id : undefined;
    },

    async updatePullRequestComment(repo, id, commentId, markdown) {
      const url = http.url(apiPath('put', '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}', { ...prParams(repo, id), comment_id: commentId }));
      await http.send(url, { method: 'PUT', body: JSON.stringify(commentBody(markdown)), contentType: 'application/json' });
    },
  };
}
