import { AppError, isAppError } from '../domain/errors';
import type { BitbucketClient, RepoRef } from '../bitbucket/types';
import type { ConnectionCheck, ConnectionResult } from '../contracts/resolver-api';
import type { Deps } from './deps';
import { clientFor, serviceAccountClient } from './bitbucket-access';
import { ScansRepository } from '../storage/scans-repository';
import { loadServiceAccount, type SaveSettingsInput } from './settings-service';

export type { ConnectionCheck } from '../contracts/resolver-api';

/** Says what went wrong in words, naming the repository rather than the encoded API path it was asked by. */
const explain = (error: unknown, repository?: string): string => {
  if (!isAppError(error)) throw error;
  if (error.code === 'missing_scope') {
    const required = (error.details?.required as string[] | undefined)?.join(', ') ?? 'a scope';
    return `Missing scope: the token needs ${required}. Create a new API token with all six scopes.`;
  }
  if (error.code === 'not_found' && repository) {
    return `Bitbucket has no repository "${repository}" in this workspace that the service account can read. Check the name (the part of its URL after the workspace) and that the account has access.`;
  }
  // Bitbucket's error names the API path (`GET /2.0/repositories/%7B…%7D/…`): say which repository instead.
  return error.message.replace(/\b(GET|POST|PUT|DELETE) \/2\.0\/\S+/g, repository ? `request for ${repository}` : 'request');
};

const passed = (id: string, label: string, detail: string): ConnectionCheck => ({ id, label, ok: true, outcome: 'passed', detail });
const failed = (id: string, label: string, detail: string): ConnectionCheck => ({ id, label, ok: false, outcome: 'failed', detail });
/** A check that could not run yet: neutral, never a failure. */
const notTested = (id: string, label: string, detail: string): ConnectionCheck => ({ id, label, ok: true, outcome: 'not-tested', detail });

async function probe(id: string, label: string, run: () => Promise<string>, repository?: string): Promise<ConnectionCheck> {
  try {
    return passed(id, label, await run());
  } catch (error) {
    return failed(id, label, explain(error, repository));
  }
}

/**
 * The repository to prove repository scopes on: the one asked for, else the last one scanned,
 * else (a fresh workspace) the most recently updated one the account can read. `name` is what
 * messages call it.
 */
async function chooseRepository(deps: Deps, client: BitbucketClient, workspaceId: string, requested?: string): Promise<{ repo: RepoRef; name: string } | undefined> {
  if (requested) return { repo: { workspace: workspaceId, repo: requested }, name: requested };
  const repoUuid = await new ScansRepository(deps.db).lastScannedRepository(workspaceId);
  if (repoUuid) return { repo: { workspace: workspaceId, repo: repoUuid }, name: 'the last scanned repository' };
  const [first] = await client.listRepositories(workspaceId, 1).catch(() => []);
  return first ? { repo: { workspace: workspaceId, repo: first.slug }, name: first.fullName } : undefined;
}

async function repositoryChecks(client: BitbucketClient, repo: RepoRef, name: string, now: Date): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [];
  let mainBranch: string | undefined;
  let mainTip: string | undefined;
  let fullName = name;
  checks.push(await probe('scope:read:repository', 'read:repository:bitbucket', async () => {
    const repository = await client.getRepository(repo);
    mainBranch = repository.mainBranch;
    fullName = repository.fullName;
    mainTip = (await client.getBranch(repo, repository.mainBranch))?.hash;
    return `Read ${repository.fullName} (main branch ${repository.mainBranch}).`;
  }, name));
  if (!mainBranch) {
    // Without the repository the other repository checks would only repeat its failure.
    const why = `Not tested: ${name} could not be read (see above).`;
    for (const [id, label] of [['scope:read:pullrequest', 'read:pullrequest:bitbucket'], ['scope:write:pullrequest', 'write:pullrequest:bitbucket'], ['scope:write:repository', 'write:repository:bitbucket and write access']] as const) {
      checks.push(notTested(id, label, why));
    }
    return checks;
  }
  checks.push(await probe('scope:read:pullrequest', 'read:pullrequest:bitbucket', async () => {
    const open = await client.listPullRequests(repo, { states: ['OPEN'] });
    return `Listed the pull requests of ${fullName} (${open.length} open).`;
  }, fullName));
  checks.push(await probe('scope:write:pullrequest', 'write:pullrequest:bitbucket', async () => {
    // Declining a pull request that cannot exist proves the scope without changing anything:
    // a missing scope is refused before Bitbucket looks the pull request up.
    try {
      await client.declinePullRequest(repo, 0);
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return `Allowed to change pull requests of ${fullName}.`;
      throw error;
    }
    return `Allowed to change pull requests of ${fullName}.`;
  }, fullName));
  checks.push(await probe('scope:write:repository', 'write:repository:bitbucket and write access', async () => {
    if (!mainTip) throw new AppError('not_found', `Could not read the main branch of ${fullName}, so write access was not tried.`);
    const probeBranch = `remediate/connection-check-${now.getTime()}`;
    await client.createBranch(repo, probeBranch, mainTip);
    await client.deleteBranch(repo, probeBranch);
    return `Created and deleted a temporary branch of ${fullName} from ${mainBranch}.`;
  }, fullName));
  return checks;
}

/**
 * Proves, one real call per check, that the saved credentials can do everything Remediate needs.
 * A check that cannot run yet (no repository the account can read) is "not tested", never failed.
 */
export async function testConnection(deps: Deps, workspaceId: string, requestedRepo?: string): Promise<ConnectionResult> {
  const { client, account } = await serviceAccountClient(deps, workspaceId);
  const checks: ConnectionCheck[] = [];
  let username: string | undefined;
  const auth = await probe('auth', 'Email address and API token', async () => {
    const user = await client.getCurrentUser();
    username = user.username;
    return `Signed in as ${user.displayName} (${user.username}).`;
  });
  checks.push(auth);
  if (!auth.ok) return { ok: false, checks };
  checks.push(passed('scope:read:user', 'read:user:bitbucket', 'Read the account (GET /2.0/user).'));
  const sameUser = username?.toLowerCase() === account.username.toLowerCase();
  checks.push(sameUser
    ? passed('username', 'Username matches the account', `The token belongs to ${username}.`)
    : failed('username', 'Username matches the account', `The token belongs to "${username}", but the username field says "${account.username}": correct the username.`));
  checks.push(await probe('scope:read:workspace', 'read:workspace:bitbucket and workspace membership', async () => {
    const workspaces = await client.listUserWorkspaces();
    const member = workspaces.find((ws) => ws.uuid === workspaceId || ws.slug === workspaceId);
    if (!member) throw new AppError('forbidden', `The service account is not a member of this workspace; add ${account.username} to it.`);
    return `Member of ${member.slug}${member.administrator ? ' (administrator)' : ''}.`;
  }));
  const chosen = await chooseRepository(deps, client, workspaceId, requestedRepo);
  if (chosen) checks.push(...(await repositoryChecks(client, chosen.repo, chosen.name, deps.clock.now())));
  else {
    checks.push(notTested('repository', 'Repository scopes',
      'Not tested yet: the service account cannot read any repository of this workspace. Give it write access to the repositories Remediate should fix, or name one above.'));
  }
  return { ok: checks.every((check) => check.outcome !== 'failed'), checks };
}

/**
 * The sign-in check saving runs before it stores credentials: the new token (or the stored one
 * under a new email address) must sign in. A 401 refuses the save, so the old working token
 * stays; anything else (Bitbucket unreachable) lets the save through and is reported.
 */
export async function checkSignIn(deps: Deps, workspaceId: string, input: SaveSettingsInput): Promise<{ ok: boolean; detail: string } | undefined> {
  if (input.removeApiToken) return undefined;
  let apiToken = input.apiToken;
  if (!apiToken) {
    const stored = await loadServiceAccount(deps, workspaceId).catch(() => undefined);
    if (!stored || stored.email === input.email) return undefined;
    apiToken = stored.apiToken;
  }
  try {
    const user = await clientFor(deps, { email: input.email, apiToken }).getCurrentUser();
    return { ok: true, detail: `Signed in as ${user.displayName} (${user.username}).` };
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthorized') {
      throw new AppError('unauthorized', `Not saved: Bitbucket refused to sign in with this email address and API token (HTTP 401). ${input.apiToken ? 'The token saved before is still in use.' : 'The email address saved before is still in use.'} Check that the token belongs to ${input.email} and has not expired.`);
    }
    return { ok: false, detail: `Saved, but the sign-in could not be checked: ${explain(error)}` };
  }
}
