import { z } from 'zod';
import { createBitbucketClient } from '../bitbucket/client';
import type { BitbucketClient, RepositoryPermissionLevel } from '../bitbucket/types';
import { AppError, isAppError } from '../domain/errors';
import type { Deps } from './deps';
import { storageKeys } from './storage-keys';

/**
 * What the person calling a resolver may do, asked of Bitbucket as the **app** (`deps.appFetch`),
 * through the typed client. Both checks live here, once:
 *
 * - `isWorkspaceAdmin`: `GET /2.0/workspaces/{ws}/permissions?q=user.account_id="…"` → `owner`.
 * - `requireRepositoryAccess`: `GET /2.0/workspaces/{ws}/permissions/repositories/{repo}?q=user.account_id="…"`,
 *   the caller's effective permission (direct or through a group) on the repository. Asked within
 *   the context's workspace, so a repository of another workspace is a 404: one call proves both
 *   that the repository belongs to the workspace and what the account may do there.
 *
 * Why these endpoints and this identity: `GET /2.0/user/permissions/repositories` answers for the
 * *calling* user and was removed (410, CHANGE-2770); its successor
 * `/2.0/user/workspaces/{ws}/permissions/repositories` also answers only for the caller, which
 * would need `asUser()`. The per-repository listing answers for any account we name, but
 * Bitbucket lets only repository admins call it (drone/go-scm#355). The service account is kept
 * to write access on purpose (its six scopes have no `admin:repository`), so it is not asked;
 * the Forge app is, as it already is for the admin check. Whether `asApp` may read these on a real
 * installation is to be confirmed there (shared/reference/forge.md §6.3); if Bitbucket refuses,
 * the resolvers refuse too (they never fall back to "allowed").
 */

/** The app's client: no credentials of its own, `appFetch` authenticates each request. */
export const appClient = (deps: Deps): BitbucketClient =>
  createBitbucketClient({ baseUrl: deps.bitbucketBaseUrl, fetch: deps.appFetch, logger: deps.logger });

/** A Bitbucket `{uuid}`, braces included: what Forge puts in `context.workspaceId` and a repository's uuid. */
export const BRACED_UUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;
/** Atlassian account ids (`557058:…`, `712020:…`, 24 hex digits); also safe inside a storage key. */
const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;

export async function isWorkspaceAdmin(deps: Deps, workspaceId: string, accountId: string): Promise<boolean> {
  try {
    return (await appClient(deps).getWorkspacePermission(workspaceId, accountId)) === 'owner';
  } catch (error) {
    // An unknown workspace is no admin; an outage or a refusal is reported as it is.
    if (isAppError(error) && error.code === 'not_found') return false;
    throw error;
  }
}

/** `view`: listing and reading findings, scans and PRs. `change`: dismiss, undo, open fix PRs. */
export type RepositoryAction = 'view' | 'change';

export interface CallerRepository {
  workspaceId: string;
  repositoryUuid: string;
  accountId: string;
}

/** At most this old, an answer is reused: a revoked permission takes effect within 5 minutes. */
export const ACCESS_CACHE_MS = 5 * 60 * 1000;

const cachedAccess = z.object({
  checkedAt: z.number(),
  /** False when Bitbucket does not know the repository in this workspace. */
  inWorkspace: z.boolean(),
  permission: z.enum(['admin', 'write', 'read', 'none']),
  /** Asked only when a change needs more than the repository permission gives. */
  workspaceAdmin: z.boolean().optional(),
});
type CachedAccess = z.infer<typeof cachedAccess>;

/** Kept in the key-value store, not in module state: each Forge invocation is a fresh start. */
const cacheKey = (caller: CallerRepository) => storageKeys.repositoryAccess(caller.workspaceId, caller.repositoryUuid, caller.accountId);

async function readCache(deps: Deps, key: string): Promise<CachedAccess | undefined> {
  const parsed = cachedAccess.safeParse(await deps.kv.get(key));
  if (!parsed.success) return undefined;
  const age = deps.clock.now().getTime() - parsed.data.checkedAt;
  return age >= 0 && age < ACCESS_CACHE_MS ? parsed.data : undefined;
}

async function askBitbucket(deps: Deps, caller: CallerRepository): Promise<CachedAccess> {
  const checkedAt = deps.clock.now().getTime();
  try {
    const answer = await appClient(deps).getRepositoryPermission(caller.workspaceId, caller.repositoryUuid, caller.accountId);
    // Bitbucket resolved the repository inside the workspace; a reply about another one is not believed.
    if (answer?.repositoryUuid !== undefined && answer.repositoryUuid.toLowerCase() !== caller.repositoryUuid.toLowerCase()) {
      return { checkedAt, inWorkspace: false, permission: 'none' };
    }
    return { checkedAt, inWorkspace: true, permission: answer?.permission ?? 'none' };
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return { checkedAt, inWorkspace: false, permission: 'none' };
    // Bitbucket refused the app the question: nothing is allowed on a guess.
    if (isAppError(error) && (error.code === 'forbidden' || error.code === 'missing_scope' || error.code === 'unauthorized')) {
      throw new AppError('forbidden', `Remediate could not ask Bitbucket what your account may do on this repository, so it shows nothing (Bitbucket: ${error.message})`);
    }
    throw error;
  }
}

const canChange = (permission: RepositoryPermissionLevel) => permission === 'write' || permission === 'admin';
const canView = (permission: RepositoryPermissionLevel) => permission !== 'none';

/**
 * Refuses (`forbidden`, naming the missing permission) unless the account may `action` the
 * repository, and the repository belongs to the workspace. Bitbucket is asked at most once per
 * five minutes per (workspace, repository, account).
 */
export async function requireRepositoryAccess(deps: Deps, caller: CallerRepository, action: RepositoryAction, doing: string): Promise<void> {
  if (!BRACED_UUID.test(caller.repositoryUuid)) {
    throw new AppError('bad_request', 'The Forge context names no repository {uuid}.');
  }
  if (!ACCOUNT_ID.test(caller.accountId)) throw new AppError('forbidden', 'The Forge context names no Atlassian account: sign in to Bitbucket.');
  const key = cacheKey(caller);
  let access = await readCache(deps, key);
  let fresh = false;
  if (access === undefined) {
    access = await askBitbucket(deps, caller);
    fresh = true;
  }
  const needsAdmin = action === 'change' && access.inWorkspace && canView(access.permission) && !canChange(access.permission);
  if (needsAdmin && access.workspaceAdmin === undefined) {
    access = { ...access, workspaceAdmin: await isWorkspaceAdmin(deps, caller.workspaceId, caller.accountId) };
    fresh = true;
  }
  if (fresh) await deps.kv.set(key, access);

  if (!access.inWorkspace) {
    throw new AppError('forbidden', 'This repository is not part of the workspace Remediate is installed in (or no longer exists): Bitbucket does not know it there.');
  }
  if (!canView(access.permission)) {
    throw new AppError('forbidden', `You need read access to this repository to ${doing}; Bitbucket gives your account no access to it.`);
  }
  if (needsAdmin && !access.workspaceAdmin) {
    throw new AppError('forbidden', `You need write access to this repository (or to be a workspace admin) to ${doing}; your account has read access.`);
  }
}
