import type { HttpVerb, PathFor, PathParams } from './openapi';
import type { RepoRef } from './types';

/** A `/2.0/...` path built by `apiPath` from a template of the official description. */
export type ApiPath = string & { readonly __apiPath: true };

/** Encodes each segment of a slash-separated name (branch, file path) but keeps the slashes. */
export const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** Placeholders whose value is a slash-separated name: its slashes stay. */
const SLASHED = new Set(['path', 'name']);

/**
 * `/2.0` + a path template of the OpenAPI description, with each `{placeholder}` encoded. The
 * template must exist and offer `verb`, and `params` must name exactly its placeholders, or the
 * type-check fails: `apiPath('get', '/repositories/{workspace}/{repo_slug}', {...})`.
 */
export function apiPath<V extends HttpVerb, P extends PathFor<V> & string>(
  _verb: V,
  template: P,
  params: Record<PathParams<P>, string | number>,
): ApiPath {
  const values = params as Record<string, string | number>;
  const path = template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`apiPath: no value for {${name}} in ${template}`);
    return SLASHED.has(name) ? encodePath(String(value).replace(/^\/+/, '')) : encodeURIComponent(String(value));
  });
  return `/2.0${path}` as ApiPath;
}

/** `{workspace, repo_slug}` for a repository; each may be a slug or a `{uuid}`. */
export const repoParams = (repo: RepoRef) => ({ workspace: repo.workspace, repo_slug: repo.repo });

/** A BBQL string literal: double-quoted, with `\` and `"` escaped. */
export const bbqlString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
