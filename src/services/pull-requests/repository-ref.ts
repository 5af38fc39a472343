import type { RepoRef } from '../../bitbucket/types';
import type { Scan } from '../../storage/scans-repository';
import type { Deps } from '../deps';

/**
 * The repository a scan names, from what the upload already stored (`workspace/slug`), so a scan
 * job needs no `GET /repositories/...` of its own. The upload checked it a moment ago.
 */
export function repoOf(scan: Pick<Scan, 'repoFullName' | 'workspaceId' | 'repoUuid'>): RepoRef {
  const [workspace, repo] = scan.repoFullName.split('/');
  return workspace && repo ? { workspace, repo } : { workspace: scan.workspaceId, repo: scan.repoUuid };
}

/** `https://bitbucket.org/{workspace}/{repo}`: where links to the source at a commit start. */
export const repositoryWebUrl = (deps: Pick<Deps, 'bitbucketWebUrl'>, scan: Pick<Scan, 'repoFullName'>): string =>
  `${deps.bitbucketWebUrl.replace(/\/+$/, '')}/${scan.repoFullName}`;
