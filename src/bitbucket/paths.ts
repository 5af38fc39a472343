import type { RepoRef } from './types';

/** Encodes each segment of a slash-separated name (branch, file path) but keeps the slashes. */
export const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** `/2.0/repositories/{workspace}/{repo}`; each part may be a slug or a `{uuid}`. */
export const repoPath = (repo: RepoRef): string =>
  `/2.0/repositories/${encodeURIComponent(repo.workspace)}/${encodeURIComponent(repo.repo)}`;

/** A BBQL string literal: double-quoted, with `\` and `"` escaped. */
export const bbqlString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
