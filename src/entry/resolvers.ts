import { makeResolver } from '@forge/resolver';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/errors';
import type { Deps } from '../services/deps';
import { getPolicy, getSettings, revokeUploadToken, rotateUploadToken, saveSettings, saveSettingsInput } from '../services/settings-service';
import { checkSignIn, testConnection } from '../services/connection-check';
import {
  checkCodemodIds, findingIdInput, getFinding, listCodemods, listFindings, listFindingsInput,
  listPullRequests, listScans,
} from '../services/repository-views';
import { dismissFinding, dismissFindings, dismissInput, dismissManyInput, undoDismissal } from '../services/finding-decisions';
import { createPullRequestsFor } from '../services/pull-requests/manual-fix';
import { createPullRequestRequest, fixableMatching } from '../services/pull-requests/fixable-matching';
import { previewFix } from '../services/pull-requests/preview-fix';
import type { ResolverKey, ResolverMap } from '../contracts/resolver-api';
import { BRACED_UUID, isWorkspaceAdmin, requireRepositoryAccess, type RepositoryAction } from '../services/caller-access';
import type { ResolverResult } from './http-errors';

/** What a resolver sees of its caller, as `@forge/resolver` builds it from the product context. */
export interface CallerContext {
  accountId?: string;
  workspaceId?: string;
  extension?: { repository?: { uuid?: string } };
}

/** A handler answers its key's `result` from the contract (src/contracts/resolver-api.ts), so `tsc` catches drift. */
type Handler<K extends ResolverKey = ResolverKey> = (deps: Deps, payload: unknown, context: CallerContext) => Promise<ResolverMap[K]['result']>;
type AnyHandler = (deps: Deps, payload: unknown, context: CallerContext) => Promise<unknown>;

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : 'payload';
  throw new AppError('bad_request', `${path}: ${issue?.message ?? 'invalid'}`);
}

/** Forge names the workspace by `{uuid}`; a slug would read (and write) a separate settings record. */
function workspaceOf(context: CallerContext): string {
  if (!context.workspaceId) throw new AppError('bad_request', 'The Forge context has no workspaceId.');
  if (!BRACED_UUID.test(context.workspaceId)) {
    throw new AppError('bad_request', 'The Forge context\'s workspaceId must be the workspace {uuid}, not a slug or another name.');
  }
  return context.workspaceId;
}

function repositoryOf(context: CallerContext): string {
  const uuid = context.extension?.repository?.uuid;
  if (!uuid) throw new AppError('bad_request', 'This resolver runs on repository pages only: the Forge context has no repository.');
  return uuid;
}

/**
 * Runs before the payload is read, so a caller without access learns nothing from validation.
 * The context's repository, once Bitbucket confirms it belongs to the context's workspace and the
 * caller may `action` it (read to see; write or workspace admin to change). `doing` ends the refusal.
 */
async function repositoryFor(deps: Deps, context: CallerContext, action: RepositoryAction, doing: string): Promise<string> {
  const repositoryUuid = repositoryOf(context);
  const workspaceId = workspaceOf(context);
  await requireRepositoryAccess(deps, { workspaceId, repositoryUuid, accountId: context.accountId ?? '' }, action, doing);
  return repositoryUuid;
}

/** Settings are for workspace admins only; the check runs here, not in the UI. */
async function requireAdmin(deps: Deps, context: CallerContext): Promise<string> {
  const workspaceId = workspaceOf(context);
  if (!context.accountId) throw new AppError('not_admin', 'Only workspace admins can see or change Remediate settings.');
  if (!(await isWorkspaceAdmin(deps, workspaceId, context.accountId))) {
    throw new AppError('not_admin', 'Only workspace admins can see or change Remediate settings. Ask an admin of this workspace for help.');
  }
  return workspaceId;
}

const empty = z.object({}).passthrough();
const testConnectionInput = z.object({ repository: z.string().max(200).optional() });

export const resolverHandlers: { [K in ResolverKey]: Handler<K> } = {
  getSettings: async (deps, payload, context) => {
    parse(empty, payload);
    return getSettings(deps, await requireAdmin(deps, context));
  },
  saveSettings: async (deps, payload, context) => {
    const input = parse(saveSettingsInput, payload);
    const workspaceId = await requireAdmin(deps, context);
    const disabled = input.policy?.disabledCodemods;
    if (input.policy && disabled) {
      input.policy.disabledCodemods = checkCodemodIds(disabled, (await getPolicy(deps, workspaceId)).disabledCodemods);
    }
    // Credentials are checked before they are stored: a refused sign-in keeps the old ones.
    const signIn = await checkSignIn(deps, workspaceId, input);
    const saved = await saveSettings(deps, workspaceId, context.accountId ?? '', input);
    return signIn ? { ...saved, signIn } : saved;
  },
  testConnection: async (deps, payload, context) => {
    const input = parse(testConnectionInput, payload);
    return testConnection(deps, await requireAdmin(deps, context), input.repository);
  },
  rotateUploadToken: async (deps, payload, context) => {
    parse(empty, payload);
    return rotateUploadToken(deps, await requireAdmin(deps, context));
  },
  revokeUploadToken: async (deps, payload, context) => {
    parse(empty, payload);
    await revokeUploadToken(deps, await requireAdmin(deps, context));
    return { revoked: true };
  },
  // The catalogue's titles and summaries only: nothing about the workspace, so any caller may ask.
  listCodemods: async (_deps, payload) => {
    parse(empty, payload);
    return listCodemods();
  },
  listFindings: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'view', 'see its findings');
    return listFindings(deps, repositoryUuid, parse(listFindingsInput, payload));
  },
  getFinding: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'view', 'see its findings');
    return getFinding(deps, repositoryUuid, parse(findingIdInput, payload).id);
  },
  // A dry run: the file is read and the codemod run, nothing is written, so seeing is enough.
  previewFix: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'view', 'see its findings');
    return previewFix(deps, repositoryUuid, parse(findingIdInput, payload).id);
  },
  listPullRequests: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'view', 'see its fix pull requests');
    parse(empty, payload);
    return listPullRequests(deps, repositoryUuid);
  },
  listScans: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'view', 'see its scans');
    parse(empty, payload);
    return listScans(deps, repositoryUuid);
  },
  createPullRequest: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'change', 'open fix pull requests');
    const input = parse(createPullRequestRequest, payload);
    if (input.findingIds) return createPullRequestsFor(deps, repositoryUuid, input.findingIds);
    // Every fixable finding the filter matches (a selection across pages), 100 at a time.
    const matching = await fixableMatching(deps, repositoryUuid, workspaceOf(context), input.filter);
    if (matching.ids.length === 0) throw new AppError('bad_request', 'None of the findings this filter matches has a fix to propose: they are not open, already have a pull request, their fix was declined, or no enabled codemod handles them.');
    const result = await createPullRequestsFor(deps, repositoryUuid, matching.ids);
    return matching.more > 0 ? { ...result, notes: [...(result.notes ?? []), `${matching.more} more fixable finding${matching.more === 1 ? '' : 's'} match: run it again for them.`] } : result;
  },
  dismissFinding: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'change', 'dismiss findings');
    return dismissFinding(deps, repositoryUuid, context.accountId ?? 'unknown', parse(dismissInput, payload));
  },
  dismissFindings: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'change', 'dismiss findings');
    return dismissFindings(deps, repositoryUuid, context.accountId ?? 'unknown', parse(dismissManyInput, payload));
  },
  undoDismissal: async (deps, payload, context) => {
    const repositoryUuid = await repositoryFor(deps, context, 'change', 'undo dismissals');
    return undoDismissal(deps, repositoryUuid, context.accountId ?? 'unknown', parse(findingIdInput, payload).id);
  },
};

async function run(getDeps: () => Promise<Deps>, handler: AnyHandler, payload: unknown, context: CallerContext): Promise<ResolverResult<unknown>> {
  const deps = await getDeps();
  try {
    return { ok: true, data: await handler(deps, payload, context) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    deps.logger.warn('Resolver refused', { code: error.code });
    return { ok: false, error: error.toJSON() };
  }
}

/** The platform's call shape for a resolver function (`@forge/resolver` getDefinitions). */
export interface ResolverRequest {
  call: { functionKey: string; payload?: unknown; jobId?: string };
  context: Record<string, unknown>;
}
export interface BackendRuntimePayload {
  principal?: { accountId?: string };
  installContext?: string;
}

/**
 * The `resolver` function: every key of ARCHITECTURE §4.3 defined through the real `@forge/resolver`;
 * an unknown key answers `{ok:false}` instead of the library's throw.
 */
export function makeResolverHandler(getDeps: () => Promise<Deps>) {
  // `makeResolver` is the named export of `@forge/resolver` (its default export is CommonJS-only).
  const definitions = makeResolver(
    Object.fromEntries(
      Object.entries(resolverHandlers).map(([key, handler]) => [
        key,
        ({ payload, context }: { payload: unknown; context: unknown }) => run(getDeps, handler, payload, context as CallerContext),
      ]),
    ) as never,
  ) as unknown as (request: ResolverRequest, runtime?: BackendRuntimePayload) => Promise<unknown>;
  return async (request: ResolverRequest, runtime?: BackendRuntimePayload): Promise<unknown> => {
    const key = request?.call?.functionKey;
    if (typeof key !== 'string' || !Object.hasOwn(resolverHandlers, key)) {
      return {
        ok: false,
        error: { code: 'unknown_resolver', message: `No resolver named "${String(key).slice(0, 100)}". Known: ${Object.keys(resolverHandlers).join(', ')}.` },
      } satisfies ResolverResult<never>;
    }
    return definitions(request, runtime);
  };
}
