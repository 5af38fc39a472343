import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createCommit, storeBlob, type Tree } from './git';
import { faultConfigSchema, type FaultInjector } from './faults';
import { empty, errorReply, json, parseJsonBody, type EmulatorRequest, type Reply } from './http-io';
import { findRepository, findWorkspace, membershipSchema, repositoryPermissionSchema, type EmulatorState, type RepositoryRecord } from './model';
import { mergePullRequest } from './routes-pullrequests';
import { pullRequestJson } from './render';
import type { RateLimiter } from './rate-limit';
import { matchPath } from './router';

/** Control routes for tests and demos (`/_admin/...`, no auth). See README.md. */

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  user: string | null;
}

export interface AdminHost {
  state: EmulatorState;
  faults: FaultInjector;
  rateLimit: RateLimiter;
  log: RequestLogEntry[];
  reset(): void;
}

const SLUG = /^[a-z0-9][a-z0-9._-]*$/i;

const userBody = z.object({
  username: z.string().min(1),
  email: z.string().min(3),
  token: z.string().min(1),
  displayName: z.string().optional(),
  scopes: z.array(z.string()),
  workspaces: z.record(z.string().regex(SLUG), membershipSchema),
});

const fileValue = z.union([z.string(), z.object({ content: z.string(), executable: z.boolean().optional() })]);
const repositoryBody = z.object({
  files: z.record(z.string(), fileValue),
  mainbranch: z.string().min(1).optional(),
  message: z.string().optional(),
  isPrivate: z.boolean().optional(),
});

const now = () => new Date().toISOString();

export function ensureWorkspace(state: EmulatorState, slug: string) {
  const existing = findWorkspace(state, slug);
  if (existing) return existing;
  const workspace = { slug, uuid: `{${randomUUID()}}`, name: slug, createdOn: now() };
  state.workspaces.push(workspace);
  return workspace;
}

function addUser(state: EmulatorState, req: EmulatorRequest): Reply {
  const parsed = parseJsonBody(req, userBody);
  if ('reply' in parsed) return parsed.reply;
  const body = parsed.data;
  for (const slug of Object.keys(body.workspaces)) ensureWorkspace(state, slug);
  const clash = state.users.find((user) => user.username !== body.username && user.email.toLowerCase() === body.email.toLowerCase());
  if (clash) return errorReply(409, `Email ${body.email} already belongs to ${clash.username}.`);
  const previous = state.users.find((user) => user.username === body.username);
  const user = {
    username: body.username,
    email: body.email,
    token: body.token,
    displayName: body.displayName ?? body.username,
    uuid: previous?.uuid ?? `{${randomUUID()}}`,
    accountId: previous?.accountId ?? `712020:${randomUUID()}`,
    scopes: body.scopes,
    workspaces: body.workspaces,
    createdOn: previous?.createdOn ?? now(),
  };
  // Posting a known username again replaces that user's token, scopes and memberships.
  state.users = [...state.users.filter((candidate) => candidate !== previous), user];
  return json(previous ? 200 : 201, { account_id: user.accountId, uuid: user.uuid });
}

function addRepository(state: EmulatorState, req: EmulatorRequest, workspaceSlug: string, slug: string): Reply {
  if (!SLUG.test(workspaceSlug) || !SLUG.test(slug)) return errorReply(400, 'Workspace and repository must be slugs.');
  const parsed = parseJsonBody(req, repositoryBody);
  if ('reply' in parsed) return parsed.reply;
  const body = parsed.data;
  const workspace = ensureWorkspace(state, workspaceSlug);
  let repo = findRepository(state, workspaceSlug, slug);
  if (!repo) {
    repo = {
      uuid: `{${randomUUID()}}`,
      workspace: workspace.slug,
      slug,
      isPrivate: body.isPrivate ?? true,
      mainBranch: body.mainbranch ?? 'main',
      createdOn: now(),
      blobs: {},
      commits: {},
      branches: {},
      pullRequests: [],
      nextPullRequestId: 1,
      nextCommentId: 1,
      reports: {},
    } satisfies RepositoryRecord;
    state.repositories.push(repo);
  }
  const target = repo;
  const tip = target.branches[target.mainBranch];
  const tree: Tree = { ...(tip === undefined ? {} : target.commits[tip]?.tree) };
  for (const [path, value] of Object.entries(body.files)) {
    const file = typeof value === 'string' ? { content: value, executable: false } : value;
    tree[path.replace(/^\/+/, '')] = { blob: storeBlob(target, file.content), executable: file.executable ?? false };
  }
  const commit = createCommit(state, target, {
    parents: tip === undefined ? [] : [tip],
    tree,
    message: body.message ?? (tip === undefined ? 'Initial commit' : 'Update files'),
    author: 'Bitbucket Emulator <emulator@localhost>',
  });
  target.branches[target.mainBranch] = commit.hash;
  return json(tip === undefined ? 201 : 200, { uuid: target.uuid, commit: commit.hash });
}

/** Sets (or with `null`, removes) one user's explicit permission on a repository. */
function setPermission(state: EmulatorState, req: EmulatorRequest, params: Record<string, string>): Reply {
  const repo = findRepository(state, params.workspace ?? '', params.repo ?? '');
  if (!repo) return errorReply(404, 'No such repository.');
  const user = state.users.find((candidate) => candidate.username === params.user || candidate.accountId === params.user || candidate.uuid === params.user);
  if (!user) return errorReply(404, `No user ${params.user}.`);
  const parsed = parseJsonBody(req, z.object({ permission: repositoryPermissionSchema.nullable() }));
  if ('reply' in parsed) return parsed.reply;
  const permissions = { ...repo.permissions };
  if (parsed.data.permission === null) delete permissions[user.uuid];
  else permissions[user.uuid] = parsed.data.permission;
  repo.permissions = permissions;
  return json(200, { user: user.username, permission: parsed.data.permission });
}

function merge(state: EmulatorState, req: EmulatorRequest, params: Record<string, string>): Reply {
  const repo = findRepository(state, params.workspace ?? '', params.repo ?? '');
  const pr = repo?.pullRequests.find((candidate) => candidate.id === Number(params.id));
  if (!repo || !pr) return errorReply(404, 'No such repository or pull request.');
  const problem = mergePullRequest(state, repo, pr);
  return problem === undefined ? json(200, pullRequestJson(state, repo, pr, req.publicBase)) : errorReply(400, problem);
}

/** `POST /_admin/merge-checks/{ws}/{repo}` `{required}`: whether the app's merge check is Required for the repository. */
function setMergeCheck(state: EmulatorState, req: EmulatorRequest, params: Record<string, string>): Reply {
  const repo = findRepository(state, params.workspace ?? '', params.repo ?? '');
  if (!repo) return errorReply(404, 'No such repository.');
  const parsed = parseJsonBody(req, z.object({ required: z.boolean() }));
  if ('reply' in parsed) return parsed.reply;
  repo.mergeCheckRequired = parsed.data.required;
  return json(200, { repository: `${repo.workspace}/${repo.slug}`, required: repo.mergeCheckRequired });
}

function summary(state: EmulatorState) {
  return {
    users: state.users.map((user) => ({ username: user.username, email: user.email, uuid: user.uuid, accountId: user.accountId, scopes: user.scopes, workspaces: user.workspaces })),
    workspaces: state.workspaces.map((workspace) => ({ slug: workspace.slug, uuid: workspace.uuid })),
    repositories: state.repositories.map((repo) => ({
      fullName: `${repo.workspace}/${repo.slug}`,
      uuid: repo.uuid,
      mainBranch: repo.mainBranch,
      branches: repo.branches,
      pullRequests: repo.pullRequests.map((pr) => ({ id: pr.id, state: pr.state, source: pr.sourceBranch, destination: pr.destinationBranch, title: pr.title })),
    })),
  };
}

/** Handles one admin request; `mutated` tells the emulator to persist. */
export function handleAdmin(host: AdminHost, req: EmulatorRequest): { reply: Reply; mutated: boolean } {
  const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  const at = (method: string, pattern: string) => (req.method === method ? matchPath(pattern.split('/').slice(1), req.path) : undefined);
  const done = (reply: Reply, mutated = false) => ({ reply, mutated: mutated && reply.status < 400 });

  if (route === 'POST /_admin/users') return done(addUser(host.state, req), true);
  if (route === 'GET /_admin/requests') return done(json(200, host.log));
  if (route === 'DELETE /_admin/requests') {
    host.log.length = 0;
    return done(empty(204));
  }
  if (route === 'POST /_admin/faults') {
    const parsed = parseJsonBody(req, faultConfigSchema);
    if ('reply' in parsed) return done(parsed.reply);
    host.faults.set(parsed.data);
    return done(json(200, parsed.data));
  }
  if (route === 'GET /_admin/faults') return done(json(200, host.faults.current ?? null));
  if (route === 'DELETE /_admin/faults') {
    host.faults.clear();
    return done(empty(204));
  }
  if (route === 'POST /_admin/rate-limit') {
    const parsed = parseJsonBody(req, z.object({ perHour: z.number().int().min(0) }));
    if ('reply' in parsed) return done(parsed.reply);
    host.rateLimit.perHour = parsed.data.perHour;
    host.rateLimit.clear();
    return done(json(200, { perHour: host.rateLimit.perHour }));
  }
  if (route === 'GET /_admin/rate-limit') return done(json(200, { perHour: host.rateLimit.perHour, remaining: host.rateLimit.remaining() }));
  if (route === 'GET /_admin/state') return done(json(200, summary(host.state)));
  if (route === 'POST /_admin/reset') {
    host.reset();
    return done(empty(204), true);
  }
  const mergeChecks = at('POST', '/_admin/merge-checks/:workspace/:repo');
  if (mergeChecks) return done(setMergeCheck(host.state, req, mergeChecks), true);
  const merging = at('POST', '/_admin/repositories/:workspace/:repo/pullrequests/:id/merge');
  if (merging) return done(merge(host.state, req, merging), true);
  const permission = at('PUT', '/_admin/repositories/:workspace/:repo/permissions/:user');
  if (permission) return done(setPermission(host.state, req, permission), true);
  const repository = at('POST', '/_admin/repositories/:workspace/:repo');
  if (repository) return done(addRepository(host.state, req, repository.workspace ?? '', repository.repo ?? ''), true);
  return done(errorReply(404, `No admin route ${route}`));
}
