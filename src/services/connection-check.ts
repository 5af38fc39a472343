import { AppError, isAppError } from '../domain/errors';
import type { BitbucketClient, RepoRef } from '../bitbucket/types';
import type { Deps } from './deps';
import { serviceAccountClient } from './bitbucket-access';
import { ScansRepository } from '../storage/scans-repository';

export interface ConnectionCheck {
  id: string;
  label: string;
  ok: boolean;
  detail: string;
}

const explain = (error: unknown): string => {
  if (!isAppError(error)) throw error;
  if (error.code === 'missing_scope') {
    const required = (error.details?.required as string[] | undefined)?.join(', ') ?? 'a scope';
    return `Missing scope: the token needs ${required}. Create a new API token with all six scopes.`;
  }
  return error.message;
};

async function probe(id: string, label: string, run: () => Promise<string>): Promise<ConnectionCheck> {
  try {
    return { id, label, ok: true, detail: await run() };
  } catch (error) {
    return { id, label, ok: false, detail: explain(error) };
  }
}

/** The repository to prove repository scopes on: the one asked for, else the last one scanned. */
async function chooseRepository(deps: Deps, workspaceId: string, requested?: string): Promise<RepoRef | undefined> {
  if (requested) return { workspace: workspaceId, repo: requested };
  const repoUuid = await new ScansRepository(deps.db).lastScannedRepository(workspaceId);
  return repoUuid ? { workspace: workspaceId, repo: repoUuid } : undefined;
}

async function repositoryChecks(client: BitbucketClient, repo: RepoRef, now: Date): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [];
  let mainBranch: string | undefined;
  let mainTip: string | undefined;
  checks.push(await probe('scope:read:repository', 'read:repository:bitbucket', async () => {
    const repository = await client.getRepository(repo);
    mainBranch = repository.mainBranch;
    mainTip = (await client.getBranch(repo, repository.mainBranch))?.hash;
    return `Read ${repository.fullName} (main branch ${repository.mainBranch}).`;
  }));
  checks.push(await probe('scope:read:pullrequest', 'read:pullrequest:bitbucket', async () => {
    const open = await client.listPullRequests(repo, { states: ['OPEN'] });
    return `Listed pull requests (${open.length} open).`;
  }));
  checks.push(await probe('scope:write:pullrequest', 'write:pullrequest:bitbucket', async () => {
    // Declining a pull request that cannot exist proves the scope without changing anything:
    // a missing scope is refused before Bitbucket looks the pull request up.
    try {
      await client.declinePullRequest(repo, 0);
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return 'Allowed to change pull requests.';
      throw error;
    }
    return 'Allowed to change pull requests.';
  }));
  checks.push(await probe('scope:write:repository', 'write:repository:bitbucket and write access', async () => {
    if (!mainTip || !mainBranch) throw new AppError('not_found', 'Could not read the main branch, so write access was not tried.');
    const probeBranch = `remediate/connection-check-${now.getTime()}`;
    await client.createBranch(repo, probeBranch, mainTip);
    await client.deleteBranch(repo, probeBranch);
    return `Created and deleted a temporary branch from ${mainBranch}.`;
  }));
  return checks;
}

/** Proves, one real call per check, that the saved credentials can do everything Remediate needs. */
export async function testConnection(deps: Deps, workspaceId: string, requestedRepo?: string): Promise<{ ok: boolean; checks: ConnectionCheck[] }> {
  const { client, account } = await serviceAccountClient(deps, workspaceId);
  const checks: ConnectionCheck[] = [];
  let username: string | undefined;
  const auth = await probe('auth', 'Email address and API token', async () => {
    const user = await client.getCurrentUser();
    username = user.username;
    return `Signed in as ${user.displayName} (${user.username}).`;
  });
  checks.push({ ...auth, id: 'auth' });
  if (!auth.ok) return { ok: false, checks };
  checks.push({ id: 'scope:read:user', label: 'read:user:bitbucket', ok: true, detail: 'Read the account (GET /2.0/user).' });
  checks.push({
    id: 'username',
    label: 'Username matches the account',
    ok: username?.toLowerCase() === account.username.toLowerCase(),
    detail:
      username?.toLowerCase() === account.username.toLowerCase()
        ? `The token belongs to ${username}.`
        : `The token belongs to "${username}", but the username field says "${account.username}": correct the username.`,
  });
  checks.push(await probe('scope:read:workspace', 'read:workspace:bitbucket and workspace membership', async () => {
    const workspaces = await client.listUserWorkspaces();
    const member = workspaces.find((ws) => ws.uuid === workspaceId || ws.slug === workspaceId);
    if (!member) throw new AppError('forbidden', `The service account is not a member of this workspace; add ${account.username} to it.`);
    return `Member of ${member.slug}${member.administrator ? ' (administrator)' : ''}.`;
  }));
  const repo = await chooseRepository(deps, workspaceId, requestedRepo);
  if (repo) checks.push(...(await repositoryChecks(client, repo, deps.clock.now())));
  else {
    checks.push({
      id: 'repository',
      label: 'Repository scopes',
      ok: false,
      detail: 'No repository to test yet: choose one, or upload a scan first.',
    });
  }
  return { ok: checks.every((check) => check.ok), checks };
}
