import { commitExists, commitFiles, readBranchTip } from './commit';
import { fileApi } from './files';
import { BitbucketTransport, type TransportOptions } from './http';
import { insightsApi } from './insights';
import { apiPath, bbqlString, repoParams } from './paths';
import { pullRequestApi } from './pull-requests';
import { branchSchema, diffStatSchema, pageSchema, repositoryNameSchema, workspaceMemberSchema, repositoryPermissionSchema, repositorySchema, userSchema, workspaceAccessSchema, workspaceMembershipSchema } from './schemas';
import type { BitbucketClient, BitbucketUser, Repository } from './types';

/** How to reach Bitbucket and how hard to try; the transport's options (`http.ts`). */
export type BitbucketClientOptions = TransportOptions;

const parseScopes = (header: string | null): string[] | undefined =>
  header === null
    ? undefined
    : header
        .split(',')
        .map((scope) => scope.trim())
        .filter((scope) => scope !== '');

/** The Bitbucket Cloud REST 2.0 client: one instance per invocation, so its budget is the invocation's. */
export function createBitbucketClient(options: BitbucketClientOptions): BitbucketClient {
  const http = new BitbucketTransport(options);

  return {
    async getCurrentUser(): Promise<BitbucketUser> {
      const url = http.url(apiPath('get', '/user', {}));
      const reply = await http.send(url);
      const user = http.parse(url, 'GET', reply.body, userSchema);
      const result: BitbucketUser = {
        uuid: user.uuid,
        accountId: user.account_id,
        username: user.username ?? user.nickname ?? '',
        displayName: user.display_name,
      };
      const scopes = parseScopes(reply.headers.get('x-oauth-scopes'));
      if (scopes !== undefined) result.grantedScopes = scopes;
      return result;
    },

    async listUserWorkspaces() {
      const values = await http.paginate(http.url(apiPath('get', '/user/workspaces', {}), { pagelen: 100 }), workspaceAccessSchema);
      return values.map((access) => ({
        slug: access.workspace.slug,
        uuid: access.workspace.uuid,
        administrator: access.administrator,
      }));
    },

    async listRepositories(workspace, limit) {
      const url = http.url(apiPath('get', '/repositories/{workspace}', { workspace }), {
        role: 'member', sort: '-updated_on', pagelen: Math.max(1, Math.min(100, limit)), fields: 'values.slug,values.full_name',
      });
      // One page is enough: the caller wants a repository to try, not all of them.
      const { values } = await http.json(url, pageSchema);
      return values.flatMap((value) => {
        const parsed = http.validate(url, 'GET', value, repositoryNameSchema);
        const slug = parsed.slug ?? parsed.full_name.split('/')[1];
        return slug ? [{ slug, fullName: parsed.full_name }] : [];
      }).slice(0, limit);
    },

    async workspaceMemberNames(workspace, accountIds) {
      const names = new Map<string, string>();
      const ids = [...new Set(accountIds)].slice(0, 50);
      if (ids.length === 0) return names;
      const url = http.url(apiPath('get', '/workspaces/{workspace}/permissions', { workspace }), {
        q: ids.map((id) => `user.account_id=${bbqlString(id)}`).join(' OR '),
        pagelen: ids.length,
      });
      for (const value of (await http.json(url, pageSchema)).values) {
        const { user } = http.validate(url, 'GET', value, workspaceMemberSchema);
        if (user?.account_id && user.display_name) names.set(user.account_id, user.display_name);
      }
      return names;
    },

    async getWorkspacePermission(workspace, accountId) {
      const url = http.url(apiPath('get', '/workspaces/{workspace}/permissions', { workspace }), {
        q: `user.account_id=${bbqlString(accountId)}`,
      });
      // Filtered to one account: the first page says it all.
      const [first] = (await http.json(url, pageSchema)).values;
      return first === undefined ? undefined : http.validate(url, 'GET', first, workspaceMembershipSchema).permission;
    },

    async getRepositoryPermission(workspace, repository, accountId) {
      const url = http.url(
        apiPath('get', '/workspaces/{workspace}/permissions/repositories/{repo_slug}', { workspace, repo_slug: repository }),
        { q: `user.account_id=${bbqlString(accountId)}` },
      );
      // Filtered to one account: the first page says it all.
      const [first] = (await http.json(url, pageSchema)).values;
      if (first === undefined) return undefined;
      const entry = http.validate(url, 'GET', first, repositoryPermissionSchema);
      return entry.repository?.uuid === undefined
        ? { permission: entry.permission }
        : { permission: entry.permission, repositoryUuid: entry.repository.uuid };
    },

    async getRepository(repo): Promise<Repository> {
      const url = http.url(apiPath('get', '/repositories/{workspace}/{repo_slug}', repoParams(repo)), {
        fields: 'uuid,slug,full_name,workspace.slug,workspace.uuid,mainbranch.name,is_private,links.html.href',
      });
      const json = await http.json(url, repositorySchema);
      const [fullWorkspace = repo.workspace, fullSlug = repo.repo] = json.full_name.split('/');
      return {
        uuid: json.uuid,
        slug: json.slug ?? fullSlug,
        fullName: json.full_name,
        workspace: { slug: json.workspace?.slug ?? fullWorkspace, uuid: json.workspace?.uuid ?? '' },
        // An empty repository has no main branch yet; Bitbucket names the first one `main`.
        mainBranch: json.mainbranch?.name ?? 'main',
        isPrivate: json.is_private,
        htmlUrl: json.links?.html?.href ?? '',
      };
    },

    async getBranch(repo, name) {
      const tip = await readBranchTip(http, repo, name);
      if (tip === undefined) return undefined;
      return tip.authorUuid === undefined ? { name: tip.name, hash: tip.hash } : { name: tip.name, hash: tip.hash, authorUuid: tip.authorUuid };
    },

    commitExists: (repo, hash) => commitExists(http, repo, hash),

    async createBranch(repo, name, hash) {
      const url = http.url(apiPath('post', '/repositories/{workspace}/{repo_slug}/refs/branches', repoParams(repo)));
      const branch = await http.sendJson('POST', url, { name, target: { hash } }, branchSchema);
      return { name: branch.name, hash: branch.target.hash };
    },

    async deleteBranch(repo, name) {
      await http.send(http.url(apiPath('delete', '/repositories/{workspace}/{repo_slug}/refs/branches/{name}', { ...repoParams(repo), name })), { method: 'DELETE' });
    },

    ...fileApi(http),

    commitFiles: (request) => commitFiles(http, request),

    ...pullRequestApi(http),
    ...insightsApi(http),

    async diffstat(repo, spec) {
      const url = http.url(apiPath('get', '/repositories/{workspace}/{repo_slug}/diffstat/{spec}', { ...repoParams(repo), spec }), {
        pagelen: 100,
      });
      const values = await http.paginate(url, diffStatSchema);
      return values.map((entry) => ({
        status: entry.status,
        linesAdded: entry.lines_added ?? 0,
        linesRemoved: entry.lines_removed ?? 0,
        ...(entry.old?.path === undefined ? {} : { oldPath: entry.old.path }),
        ...(entry.new?.path === undefined ? {} : { newPath: entry.new.path }),
      }));
    },

    budget: () => http.budget(),
    canAfford: (requests) => http.canAfford(requests),
  };
}
