import { isAppError } from '../domain/errors';
import type { BitbucketTransport } from './http';
import { apiPath, repoParams } from './paths';
import { directoryEntrySchema, fileMetaSchema } from './schemas';
import type { BitbucketClient, FileMeta, RepoRef } from './types';

type FileApi = Pick<BitbucketClient, 'readFile' | 'getFileMeta' | 'listFiles'>;

/** Directory levels asked for per listing; deeper directories are listed on their own. */
const LIST_DEPTH = 5;

/** Resolves with undefined when Bitbucket answers 404. */
export async function unlessNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}

/** Every directory that contains one of these paths. */
function ancestorsOf(paths: readonly string[]): Set<string> {
  const ancestors = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let end = 1; end < parts.length; end += 1) ancestors.add(parts.slice(0, end).join('/'));
  }
  return ancestors;
}

export function fileApi(http: BitbucketTransport): FileApi {
  const srcPath = (repo: RepoRef, commit: string, path: string) =>
    apiPath('get', '/repositories/{workspace}/{repo_slug}/src/{commit}/{path}', { ...repoParams(repo), commit, path });

  /** One directory's listing, several levels deep; if that fails on the server (555: too deep), one level. */
  const listDirectory = async (repo: RepoRef, commit: string, directory: string) => {
    const base = srcPath(repo, commit, directory === '' ? '' : `${directory}/`);
    const query = { pagelen: 100, max_depth: LIST_DEPTH, fields: 'values.path,values.type,next' };
    try {
      return await http.paginate(http.url(base, query), directoryEntrySchema, { retryOnServerError: false });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'server_error') throw error;
      return http.paginate(http.url(base, { ...query, max_depth: undefined }), directoryEntrySchema);
    }
  };

  return {
    readFile: (repo, commit, path) =>
      unlessNotFound(http.send(http.url(srcPath(repo, commit, path)), { accept: '*/*' }).then((reply) => reply.body)),

    async getFileMeta(repo, commit, path): Promise<FileMeta | undefined> {
      const url = http.url(srcPath(repo, commit, path), { format: 'meta' });
      const meta = await unlessNotFound(http.json(url, fileMetaSchema));
      if (meta === undefined || meta.type !== 'commit_file') return undefined;
      return { path: meta.path, size: meta.size ?? 0, attributes: meta.attributes ?? [] };
    },

    async listFiles(repo, commit) {
      const files: string[] = [];
      const pending = [''];
      for (let directory = pending.shift(); directory !== undefined; directory = pending.shift()) {
        const entries = await listDirectory(repo, commit, directory);
        const expanded = ancestorsOf(entries.map((entry) => entry.path));
        for (const entry of entries) {
          if (entry.type === 'commit_file') files.push(entry.path);
          // Git has no empty directories: one listed without contents lay below the depth asked for.
          else if (entry.type === 'commit_directory' && !expanded.has(entry.path)) pending.push(entry.path);
        }
      }
      return files.sort();
    },
  };
}
