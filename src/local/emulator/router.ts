import type { Scope } from './auth';
import type { EmulatorRequest, Reply } from './http-io';
import type { EmulatorState, RepositoryRecord, UserRecord, WorkspaceRecord } from './model';

/**
 * REST 2.0 routes. Each names the scope it needs and what it addresses; the emulator resolves
 * that (repository or workspace, with membership) before the handler runs.
 */

interface Base {
  req: EmulatorRequest;
  params: Record<string, string>;
  state: EmulatorState;
}
export interface AccountContext extends Base {
  user: UserRecord;
}
export interface WorkspaceContext extends Base {
  /** Undefined when the Forge app calls. */
  user: UserRecord | undefined;
  workspace: WorkspaceRecord;
}
export interface RepoContext extends Base {
  user: UserRecord;
  repo: RepositoryRecord;
}

interface RouteBase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  segments: string[];
  scope: Scope;
}
export type Route =
  | (RouteBase & { target: 'account'; handle: (ctx: AccountContext) => Reply })
  | (RouteBase & { target: 'workspace'; handle: (ctx: WorkspaceContext) => Reply })
  | (RouteBase & { target: 'repository'; handle: (ctx: RepoContext) => Reply });

const split = (pattern: string) => pattern.split('/').slice(1);

export const accountRoute = (method: RouteBase['method'], pattern: string, scope: Scope, handle: (ctx: AccountContext) => Reply): Route => ({
  method,
  segments: split(pattern),
  scope,
  target: 'account',
  handle,
});

export const workspaceRoute = (
  method: RouteBase['method'],
  pattern: string,
  scope: Scope,
  handle: (ctx: WorkspaceContext) => Reply,
): Route => ({ method, segments: split(pattern), scope, target: 'workspace', handle });

/** Patterns under `/2.0/repositories/:workspace/:repo`. */
export const repoRoute = (method: RouteBase['method'], pattern: string, scope: Scope, handle: (ctx: RepoContext) => Reply): Route => ({
  method,
  segments: split(`/2.0/repositories/:workspace/:repo${pattern}`),
  scope,
  target: 'repository',
  handle,
});

/**
 * Matches a raw (still percent-encoded) path. `:name` takes one segment; `*name` takes the rest
 * (possibly none), each segment decoded and joined with `/`.
 */
export function matchPath(segments: readonly string[], path: string): Record<string, string> | undefined {
  const parts = split(path);
  const params: Record<string, string> = {};
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  for (const [index, segment] of segments.entries()) {
    if (segment.startsWith('*')) {
      params[segment.slice(1)] = parts.slice(index).map(decode).join('/');
      return params;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) params[segment.slice(1)] = decode(part);
    else if (segment !== part) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

export function findRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.segments, path);
    if (params) return { route, params };
  }
  return undefined;
}
