import { webAction, webPage } from './web-pages';
import { closedSince, openPullRequests, type PullRequestEvent } from './events';
import { checkedSourceTips, mergeRefusedBody, mergeTarget, pushedSince, runCheck, type MergeCheckRunner } from './merge-checks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin, type AdminHost, type RequestLogEntry } from './admin';
import { identify, identityName, missingScope, scopesHeader, unauthorized, type Identity } from './auth';
import { BbqlError } from './bbql';
import { FaultInjector, type FaultConfig } from './faults';
import {
  BodyTooLargeError,
  errorReply,
  json,
  NO_REPOSITORY_ACCESS,
  readBody,
  writeReply,
  type EmulatorRequest,
  type Reply,
} from './http-io';
import { emptyState, findRepository, findWorkspace, repositoryPermissionOf, type EmulatorState, type RepositoryRecord } from './model';
import { accountRoutes } from './routes-account';
import { commitRoutes } from './routes-commit';
import { insightsRoutes } from './routes-insights';
import { pullRequestRoutes } from './routes-pullrequests';
import { sourceRoutes } from './routes-source';
import { findRoute, type Route } from './router';
import { RateLimiter, removedEndpoint } from './rate-limit';
import { loadState, saveState } from './store';

export interface BitbucketEmulatorOptions {
  /** JSON file to load at start and rewrite (atomically) after every change. */
  stateFile?: string;
  /** Public URL of the mount point, e.g. `http://127.0.0.1:8080/bitbucket`; default: from the Host header. */
  publicBaseUrl?: string;
  /** Bearer token that stands in for the Forge app's `asApp()` identity (default `local-forge-app`). */
  appToken?: string;
  /** Requests per user per rolling hour to `/2.0/repositories/*` (default 1,000, like bitbucket.org). */
  rateLimitPerHour?: number;
  /** Milliseconds clock for the rate limit. */
  now?: () => number;
  /**
   * Told when a pull request is merged or declined (REST API or web page buttons), with the
   * payload Forge gives a `trigger` module — as Bitbucket would notify an installed app. Called
   * after the answer is written; the listener's errors are its own.
   */
  onPullRequestEvent?: (event: PullRequestEvent) => void;
  /**
   * The app's custom merge check (`bitbucket:mergeCheck`), run where a repository made it Required:
   * before a merge (a failure refuses it) and after code is pushed to an open pull request.
   */
  runMergeCheck?: MergeCheckRunner;
}

export interface BitbucketEmulator {
  /** Serves one request; `subPath` is the path after the mount prefix, query included (`/2.0/user?x=1`). */
  handle(req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void>;
  /** Forgets every user, repository, fault and logged request. */
  reset(): void;
  /** The live state; tests may edit it (then call `save()` if a state file is used). */
  readonly state: EmulatorState;
  repository(workspace: string, slug: string): RepositoryRecord | undefined;
  /** Every REST call received since the last clear: `{method, path, status, user}`. */
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  setFaults(config: FaultConfig): void;
  /** Changes the hourly per-user limit; forgets the counts. */
  setRateLimit(perHour: number): void;
  clearFaults(): void;
  save(): void;
  /** Resolves once every merge check started by a push (`on-code-pushed`) has answered. */
  mergeChecksSettled(): Promise<void>;
}

const routes: Route[] = [...accountRoutes, ...sourceRoutes, ...commitRoutes, ...pullRequestRoutes, ...insightsRoutes];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the route a request names, after authentication, scope and membership checks. */
function dispatch(state: EmulatorState, req: EmulatorRequest, identity: Identity): Reply {
  if (identity.kind === 'rejected') return unauthorized();
  const removed = removedEndpoint(req.method, req.path);
  if (removed) return removed;
  const found = findRoute(routes, req.method, req.path);
  if (!found) return errorReply(404, `Resource not found: ${req.method} ${req.path}`);
  const { route, params } = found;
  const base = { req, params, state };

  if (identity.kind === 'app') {
    // The app identity stands in for Forge's asApp(): only the workspace routes (admin and permission checks).
    if (route.target !== 'workspace') return errorReply(403, 'The app identity may not call this endpoint.');
    const workspace = findWorkspace(state, params.workspace ?? '');
    return workspace ? route.handle({ ...base, user: undefined, workspace }) : errorReply(404, `No workspace ${params.workspace}`);
  }
  if (identity.kind === 'anonymous') {
    return route.target === 'repository' ? errorReply(404, NO_REPOSITORY_ACCESS) : unauthorized();
  }

  const { user } = identity;
  if (!user.scopes.includes(route.scope)) return missingScope(route.scope, user);
  switch (route.target) {
    case 'account':
      return route.handle({ ...base, user });
    case 'workspace': {
      const workspace = findWorkspace(state, params.workspace ?? '');
      if (!workspace || user.workspaces[workspace.slug] === undefined) {
        return errorReply(404, `No workspace with identifier '${params.workspace}'.`);
      }
      return route.handle({ ...base, user, workspace });
    }
    case 'repository': {
      const repo = findRepository(state, params.workspace ?? '', params.repo ?? '');
      const permission = repo === undefined ? undefined : repositoryPermissionOf(repo, user);
      if (!repo || permission === undefined) return errorReply(404, NO_REPOSITORY_ACCESS);
      // Read access may look and comment; pushing and changing pull requests need write.
      const commenting = route.segments.at(-1) === 'comments';
      if (permission === 'read' && route.scope.startsWith('write:') && !commenting) {
        return errorReply(403, 'You do not have write access to this repository.');
      }
      return route.handle({ ...base, user, repo });
    }
  }
}

function safely(run: () => Reply): Reply {
  try {
    return run();
  } catch (error) {
    if (error instanceof BbqlError) return errorReply(400, `Invalid query: ${error.message}`);
    return errorReply(500, `Internal emulator error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function createBitbucketEmulator(options: BitbucketEmulatorOptions = {}): BitbucketEmulator {
  const appToken = options.appToken ?? 'local-forge-app';
  const faults = new FaultInjector();
  const rateLimit = new RateLimiter(options.rateLimitPerHour, options.now);
  const log: RequestLogEntry[] = [];
  const pendingChecks = new Set<Promise<void>>();
  let state = loadState(options.stateFile);
  const save = () => saveState(options.stateFile, state);

  const host: AdminHost = {
    get state() {
      return state;
    },
    faults,
    rateLimit,
    log,
    reset() {
      state = emptyState();
      faults.clear();
      rateLimit.clear();
      log.length = 0;
    },
  };

  async function api(req: EmulatorRequest, pathAndQuery: string): Promise<Reply> {
    const identity = identify(state, req.headers.authorization, appToken);
    const limited = identity.kind === 'user' ? rateLimit.admit(identity.user.username, req.path) : undefined;
    if (limited) {
      log.push({ method: req.method, path: pathAndQuery, status: limited.status, user: identityName(identity) });
      return limited;
    }
    const decision = faults.decide(req.method, pathAndQuery);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    let reply = decision.kind === 'before' ? decision.reply : safely(() => dispatch(state, req, identity));
    if (decision.kind !== 'before' && req.method !== 'GET' && reply.status < 400) save();
    if (decision.kind === 'after') reply = decision.reply;
    if (identity.kind === 'user') reply = { ...reply, headers: { ...reply.headers, ...scopesHeader(identity.user) } };
    log.push({ method: req.method, path: pathAndQuery, status: reply.status, user: identityName(identity) });
    return reply;
  }

  /** Serves one request: admin routes, REST 2.0, or the web pages and their buttons. */
  async function serve(incoming: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> {
    const question = subPath.indexOf('?');
    const path = question < 0 ? subPath : subPath.slice(0, question);
    const query = new URLSearchParams(question < 0 ? '' : subPath.slice(question + 1));
    const requestPath = (incoming.url ?? '').split('?')[0] ?? '';
    const prefix = requestPath.endsWith(path) ? requestPath.slice(0, requestPath.length - path.length) : '';
    const publicBase = (options.publicBaseUrl ?? `http://${incoming.headers.host ?? '127.0.0.1'}${prefix}`).replace(/\/+$/, '');
    let body: Buffer;
    try {
      body = await readBody(incoming);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      writeReply(res, errorReply(413, 'Request body too large'));
      return;
    }
    const req: EmulatorRequest = { method: (incoming.method ?? 'GET').toUpperCase(), path, query, headers: incoming.headers, body, publicBase };

    if (path === '/_admin' || path.startsWith('/_admin/')) {
      const { reply, mutated } = handleAdmin(host, req);
      if (mutated) save();
      writeReply(res, reply);
    } else if (path.startsWith('/2.0/')) {
      writeReply(res, await api(req, subPath));
    } else if (req.method === 'POST') {
      // The Merge and Decline buttons of the pull request page; back to the page after.
      const done = webAction(state, path);
      if (done === undefined) writeReply(res, errorReply(404, `Not an emulated Bitbucket path: ${path}`));
      else if ('problem' in done) writeReply(res, errorReply(400, done.problem));
      else {
        save();
        res.writeHead(303, { Location: `${publicBase}${done.pullRequestPath}` }).end();
      }
    } else {
      const html = req.method === 'GET' ? webPage(state, path) : undefined;
      if (html) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(html);
      } else writeReply(res, errorReply(404, `Not an emulated Bitbucket path: ${path}`));
    }
  }

  return {
    async handle(incoming, res, subPath) {
      // Admin routes change state behind Bitbucket's back: no event (tests use that to stand for a
      // missed delivery, which the scheduled reconcile must catch).
      const silent = incoming.method === 'GET' || !options.onPullRequestEvent || subPath.startsWith('/_admin');
      const open = silent ? undefined : openPullRequests(state);
      const runner = options.runMergeCheck;
      const method = (incoming.method ?? 'GET').toUpperCase();
      const merging = runner ? mergeTarget(state, method, subPath.split('?')[0] ?? '') : undefined;
      if (runner && merging?.repo.mergeCheckRequired && merging.pr.state === 'OPEN') {
        const result = await runCheck(runner, state, merging.repo, merging.pr, 'on-merge');
        save();
        if (!result.success) {
          log.push({ method, path: subPath, status: 400, user: null });
          writeReply(res, json(400, mergeRefusedBody(result.message)));
          return;
        }
      }
      // A push (a commit through the API, or a developer's push through the admin routes) to an
      // open pull request's branch runs the check again, as Bitbucket does (`on-code-pushed`).
      const tips = runner && method !== 'GET' ? checkedSourceTips(state) : undefined;
      await serve(incoming, res, subPath);
      if (runner && tips) {
        for (const { repo, pr } of pushedSince(state, tips)) {
          const check = runCheck(runner, state, repo, pr, 'on-code-pushed').then(() => save()).finally(() => pendingChecks.delete(check));
          pendingChecks.add(check);
        }
      }
      if (open) {
        const user = identify(state, incoming.headers.authorization, appToken);
        for (const event of closedSince(open, state, user.kind === 'user' ? user.user : undefined)) options.onPullRequestEvent?.(event);
      }
    },
    reset() {
      host.reset();
      save();
    },
    async mergeChecksSettled() {
      while (pendingChecks.size > 0) await Promise.allSettled([...pendingChecks]);
    },
    get state() {
      return state;
    },
    repository: (workspace, slug) => findRepository(state, workspace, slug),
    requestLog: () => log.map((entry) => ({ ...entry })),
    clearRequestLog() {
      log.length = 0;
    },
    setFaults: (config) => faults.set(config),
    clearFaults: () => faults.clear(),
    setRateLimit(perHour) {
      rateLimit.perHour = perHour;
      rateLimit.clear();
    },
    save,
  };
}
