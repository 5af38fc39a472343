import { z } from 'zod';
import { filterByBbql, mentionsField } from './bbql';
import { applyChanges, createCommit, mergeBase } from './git';
import { badRequest, errorReply, json, page, parseJsonBody, type Reply } from './http-io';
import type { EmulatorState, PullRequestRecord, RepositoryRecord } from './model';
import { findRepository, findUserByUuid, pullRequestStateSchema } from './model';
import { accountRef, pullRequestHtml, pullRequestJson } from './render';
import { repoRoute, type RepoContext, type Route } from './router';

/** Pull requests: create, list, get, update (OPEN only; absent reviewers are cleared), decline, comment. */

const branchRef = z.object({ branch: z.object({ name: z.string().min(1) }), repository: z.object({ full_name: z.string() }).optional() });
const reviewersField = z.array(z.object({ uuid: z.string() })).optional();

const createBody = z.object({
  title: z.string().min(1),
  description: z.string().optional(),
  summary: z.object({ raw: z.string() }).optional(),
  source: branchRef,
  destination: branchRef.optional(),
  close_source_branch: z.boolean().optional(),
  reviewers: reviewersField,
});

const updateBody = z.object({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  summary: z.object({ raw: z.string() }).optional(),
  destination: branchRef.optional(),
  reviewers: reviewersField,
});

const commentBody = z.object({ content: z.object({ raw: z.string().min(1) }) });

const now = () => new Date().toISOString();

function findPullRequest({ repo, params }: RepoContext): PullRequestRecord | Reply {
  const id = Number(params.id);
  const pr = repo.pullRequests.find((candidate) => candidate.id === id);
  return pr ?? errorReply(404, `Pull request not found: ${params.id}`);
}

const isReply = (value: PullRequestRecord | Reply): value is Reply => 'status' in value;

function checkReviewers(state: EmulatorState, reviewers: { uuid: string }[] | undefined, authorUuid: string): Reply | undefined {
  for (const reviewer of reviewers ?? []) {
    if (!findUserByUuid(state, reviewer.uuid)) return badRequest('reviewers: Malformed reviewers list', { reviewers: ['Malformed reviewers list'] });
    if (reviewer.uuid === authorUuid) return badRequest(`${reviewer.uuid} is the author and cannot be included as a reviewer.`);
  }
  return undefined;
}

function create(ctx: RepoContext): Reply {
  const { req, state, repo, user } = ctx;
  const parsed = parseJsonBody(req, createBody);
  if ('reply' in parsed) return parsed.reply;
  const body = parsed.data;
  const source = body.source.branch.name;
  const destination = body.destination?.branch.name ?? repo.mainBranch;
  // A pull request from a fork: its source branch is in another repository the user can see.
  const forkName = body.source.repository?.full_name;
  const fork = forkName && forkName.toLowerCase() !== `${repo.workspace}/${repo.slug}`.toLowerCase()
    ? findRepository(state, forkName.split('/')[0] ?? '', forkName.split('/')[1] ?? '')
    : undefined;
  if (forkName && fork === undefined && forkName.toLowerCase() !== `${repo.workspace}/${repo.slug}`.toLowerCase()) {
    return badRequest(`source.repository: Repository not found: ${forkName}`);
  }
  const sourceCommit = (fork ?? repo).branches[source];
  const destinationCommit = repo.branches[destination];
  if (sourceCommit === undefined) return badRequest(`source: Branch not found: ${source}`, { source: [`Branch not found: ${source}`] });
  if (destinationCommit === undefined) return badRequest(`destination: Branch not found: ${destination}`, { destination: ['Branch not found'] });
  if (source === destination && !fork) return badRequest('source and destination branches must differ');
  const open = repo.pullRequests.find((pr) => pr.state === 'OPEN' && pr.sourceBranch === source && pr.destinationBranch === destination);
  if (open) return badRequest(`There is already an open pull request from ${source} to ${destination}.`);
  const invalidReviewers = checkReviewers(state, body.reviewers, user.uuid);
  if (invalidReviewers) return invalidReviewers;

  const time = now();
  const pr: PullRequestRecord = {
    id: repo.nextPullRequestId,
    title: body.title,
    description: body.description ?? body.summary?.raw ?? '',
    state: 'OPEN',
    sourceBranch: source,
    sourceCommit,
    destinationBranch: destination,
    destinationCommit,
    authorUuid: user.uuid,
    reviewers: body.reviewers ?? [],
    closeSourceBranch: body.close_source_branch ?? false,
    mergeCommit: null,
    createdOn: time,
    updatedOn: time,
    comments: [],
    ...(fork ? { sourceRepository: `${fork.workspace}/${fork.slug}` } : {}),
  };
  repo.nextPullRequestId += 1;
  repo.pullRequests.push(pr);
  return json(201, pullRequestJson(state, repo, pr, req.publicBase), { location: pullRequestHtml(repo, pr.id, req.publicBase) });
}

function list({ req, state, repo }: RepoContext): Reply {
  const q = req.query.get('q');
  const asked = req.query.getAll('state').map((value) => value.toUpperCase());
  const invalid = asked.find((value) => !pullRequestStateSchema.safeParse(value).success);
  if (invalid !== undefined) return badRequest(`state: invalid value ${invalid}`);
  // Without a state filter Bitbucket lists only OPEN pull requests.
  const states = asked.length > 0 || (q !== null && mentionsField(q, 'state')) ? asked : ['OPEN'];
  let prs = repo.pullRequests.filter((pr) => states.length === 0 || states.includes(pr.state));
  if (q !== null) {
    prs = filterByBbql(prs, q, {
      id: (pr) => pr.id,
      title: (pr) => pr.title,
      state: (pr) => pr.state,
      'source.branch.name': (pr) => pr.sourceBranch,
      'destination.branch.name': (pr) => pr.destinationBranch,
      'source.repository.full_name': () => `${repo.workspace}/${repo.slug}`,
      'author.uuid': (pr) => pr.authorUuid,
      'author.account_id': (pr) => findUserByUuid(state, pr.authorUuid)?.accountId,
      created_on: (pr) => pr.createdOn,
      updated_on: (pr) => pr.updatedOn,
    });
  }
  return page(req, [...prs].sort((a, b) => b.id - a.id), (pr) => pullRequestJson(state, repo, pr, req.publicBase));
}

function update(ctx: RepoContext): Reply {
  const { req, state, repo } = ctx;
  const pr = findPullRequest(ctx);
  if (isReply(pr)) return pr;
  // Declined (and merged) pull requests cannot be reopened or edited.
  if (pr.state !== 'OPEN') return badRequest(`Only open pull requests can be mutated. Pull request ${pr.id} is ${pr.state}.`);
  const parsed = parseJsonBody(req, updateBody);
  if ('reply' in parsed) return parsed.reply;
  const body = parsed.data;
  const invalidReviewers = checkReviewers(state, body.reviewers, pr.authorUuid);
  if (invalidReviewers) return invalidReviewers;
  if (body.destination && repo.branches[body.destination.branch.name] === undefined) {
    return badRequest(`destination: Branch not found: ${body.destination.branch.name}`);
  }
  if (body.title !== undefined) pr.title = body.title;
  const description = body.description ?? body.summary?.raw;
  if (description !== undefined) pr.description = description;
  if (body.destination) pr.destinationBranch = body.destination.branch.name;
  // As on bitbucket.org: an update that leaves `reviewers` out removes them all.
  pr.reviewers = body.reviewers ?? [];
  pr.updatedOn = now();
  return json(200, pullRequestJson(state, repo, pr, req.publicBase));
}

/** Freezes the commits a PR ends with when it leaves OPEN. */
function close(repo: RepositoryRecord, pr: PullRequestRecord, state: PullRequestRecord['state']): void {
  pr.sourceCommit = repo.branches[pr.sourceBranch] ?? pr.sourceCommit;
  pr.destinationCommit = repo.branches[pr.destinationBranch] ?? pr.destinationCommit;
  pr.state = state;
  pr.updatedOn = now();
}

/** What a decline does (REST or web page); a problem message when the PR is not open. */
export function declinePullRequest(repo: RepositoryRecord, pr: PullRequestRecord): string | undefined {
  if (pr.state !== 'OPEN') return `Only open pull requests can be declined. Pull request ${pr.id} is ${pr.state}.`;
  close(repo, pr, 'DECLINED');
  return undefined;
}

function decline(ctx: RepoContext): Reply {
  const pr = findPullRequest(ctx);
  if (isReply(pr)) return pr;
  const problem = declinePullRequest(ctx.repo, pr);
  if (problem !== undefined) return badRequest(problem);
  return json(200, pullRequestJson(ctx.state, ctx.repo, pr, ctx.req.publicBase));
}

const mergeBody = z.object({
  merge_strategy: z.string().optional(),
  close_source_branch: z.boolean().optional(),
  message: z.string().optional(),
});

/** `POST …/pullrequests/{id}/merge`: strategies are accepted but every merge is a merge commit. */
function merge(ctx: RepoContext): Reply {
  const pr = findPullRequest(ctx);
  if (isReply(pr)) return pr;
  const parsed = ctx.req.body.length === 0 ? { data: {} } : parseJsonBody(ctx.req, mergeBody);
  if ('reply' in parsed) return parsed.reply;
  if (pr.state !== 'OPEN') return badRequest(`Only open pull requests can be merged. Pull request ${pr.id} is ${pr.state}.`);
  if (parsed.data.close_source_branch !== undefined) pr.closeSourceBranch = parsed.data.close_source_branch;
  const problem = mergePullRequest(ctx.state, ctx.repo, pr);
  if (problem !== undefined) return errorReply(409, problem);
  return json(200, pullRequestJson(ctx.state, ctx.repo, pr, ctx.req.publicBase));
}

function commentJson(ctx: RepoContext, pr: PullRequestRecord, comment: PullRequestRecord['comments'][number]) {
  return {
    type: 'pullrequest_comment',
    id: comment.id,
    content: { type: 'rendered', raw: comment.raw, markup: 'markdown', html: '' },
    user: accountRef(ctx.state, comment.authorUuid),
    created_on: comment.createdOn,
    updated_on: comment.updatedOn ?? comment.createdOn,
    deleted: false,
    links: { html: { href: `${pullRequestHtml(ctx.repo, pr.id, ctx.req.publicBase)}#comment-${comment.id}` } },
  };
}

/** `PUT …/comments/{comment_id}`: only its author may edit a comment. */
function updateComment(ctx: RepoContext): Reply {
  const pr = findPullRequest(ctx);
  if (isReply(pr)) return pr;
  const comment = pr.comments.find((candidate) => candidate.id === Number(ctx.params.comment));
  if (!comment) return errorReply(404, `Comment not found: ${ctx.params.comment}`);
  if (comment.authorUuid !== ctx.user.uuid) return errorReply(403, 'You can only edit your own comments.');
  const parsed = parseJsonBody(ctx.req, commentBody);
  if ('reply' in parsed) return parsed.reply;
  comment.raw = parsed.data.content.raw;
  comment.updatedOn = now();
  return json(200, commentJson(ctx, pr, comment));
}

function addComment(ctx: RepoContext): Reply {
  const pr = findPullRequest(ctx);
  if (isReply(pr)) return pr;
  const parsed = parseJsonBody(ctx.req, commentBody);
  if ('reply' in parsed) return parsed.reply;
  const comment = { id: ctx.repo.nextCommentId, raw: parsed.data.content.raw, authorUuid: ctx.user.uuid, createdOn: now() };
  ctx.repo.nextCommentId += 1;
  pr.comments.push(comment);
  const body = commentJson(ctx, pr, comment);
  return json(201, body, { location: body.links.html.href });
}

/** What an admin merge does: the destination gets the source's changes, the PR is MERGED. */
export function mergePullRequest(state: EmulatorState, repo: RepositoryRecord, pr: PullRequestRecord): string | undefined {
  if (pr.state !== 'OPEN') return `Pull request ${pr.id} is ${pr.state}.`;
  const sourceHash = repo.branches[pr.sourceBranch];
  const destinationHash = repo.branches[pr.destinationBranch];
  const source = sourceHash === undefined ? undefined : repo.commits[sourceHash];
  const destination = destinationHash === undefined ? undefined : repo.commits[destinationHash];
  if (!source || !destination) return 'The source or destination branch no longer exists.';
  const baseHash = mergeBase(repo, source.hash, destination.hash);
  const base = baseHash === undefined ? {} : (repo.commits[baseHash]?.tree ?? {});
  const merged = createCommit(state, repo, {
    parents: [destination.hash, source.hash],
    tree: applyChanges(destination.tree, source.tree, base),
    message: `Merged in ${pr.sourceBranch} (pull request #${pr.id})\n\n${pr.title}`,
    author: 'Bitbucket Emulator <emulator@localhost>',
  });
  close(repo, pr, 'MERGED');
  pr.mergeCommit = merged.hash;
  repo.branches[pr.destinationBranch] = merged.hash;
  if (pr.closeSourceBranch && pr.sourceBranch !== repo.mainBranch) delete repo.branches[pr.sourceBranch];
  return undefined;
}

export const pullRequestRoutes: Route[] = [
  repoRoute('GET', '/pullrequests', 'read:pullrequest:bitbucket', list),
  repoRoute('POST', '/pullrequests', 'write:pullrequest:bitbucket', create),
  repoRoute('GET', '/pullrequests/:id', 'read:pullrequest:bitbucket', (ctx) => {
    const pr = findPullRequest(ctx);
    return isReply(pr) ? pr : json(200, pullRequestJson(ctx.state, ctx.repo, pr, ctx.req.publicBase));
  }),
  repoRoute('PUT', '/pullrequests/:id', 'write:pullrequest:bitbucket', update),
  repoRoute('POST', '/pullrequests/:id/decline', 'write:pullrequest:bitbucket', decline),
  repoRoute('POST', '/pullrequests/:id/merge', 'write:pullrequest:bitbucket', merge),
  repoRoute('GET', '/pullrequests/:id/comments', 'read:pullrequest:bitbucket', (ctx) => {
    const pr = findPullRequest(ctx);
    return isReply(pr) ? pr : page(ctx.req, pr.comments, (comment) => commentJson(ctx, pr, comment));
  }),
  repoRoute('POST', '/pullrequests/:id/comments', 'write:pullrequest:bitbucket', addComment),
  repoRoute('PUT', '/pullrequests/:id/comments/:comment', 'write:pullrequest:bitbucket', updateComment),
];
