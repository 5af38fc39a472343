import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import type { Deps } from './deps';
import { defaultPolicy, policySchema, type Policy } from './policy';
import { storageKeys, unwrapUuid, wrapUuid } from './storage-keys';

const storedSettingsSchema = z.object({
  username: z.string(),
  email: z.string(),
  policy: policySchema.partial().default({}),
  apiTokenSetAt: z.string().optional(),
  apiTokenSetBy: z.string().optional(),
  uploadTokenSetAt: z.string().optional(),
});
type StoredSettings = z.infer<typeof storedSettingsSchema>;

export interface SettingsView {
  username: string;
  email: string;
  hasApiToken: boolean;
  apiTokenSetAt?: string;
  apiTokenSetBy?: string;
  hasUploadToken: boolean;
  uploadTokenSetAt?: string;
  uploadUrl: string;
  policy: Policy;
}

export const saveSettingsInput = z.object({
  username: z
    .string()
    .trim()
    .min(1, 'username is required: it is the Bitbucket username git and Bitbucket show for the service account')
    .max(100)
    .refine((value) => !value.includes('@'), 'username looks like an email address: enter the Bitbucket username here and the email below'),
  email: z.string().trim().toLowerCase().email('email must be the Atlassian account email address the API token belongs to'),
  apiToken: z
    .string()
    .trim()
    .min(20, 'apiToken is too short to be an Atlassian API token')
    .max(1000)
    .refine((value) => !/\s/.test(value), 'apiToken must not contain spaces')
    .optional(),
  removeApiToken: z.boolean().optional(),
  policy: policySchema.partial().optional(),
});
export type SaveSettingsInput = z.infer<typeof saveSettingsInput>;

async function loadStored(deps: Deps, workspaceId: string): Promise<StoredSettings | undefined> {
  const raw = await deps.kv.get<unknown>(storageKeys.settings(workspaceId));
  if (raw === undefined) return undefined;
  const parsed = storedSettingsSchema.safeParse(raw);
  if (!parsed.success) throw new Error('Stored settings do not match their schema');
  return parsed.data;
}

export async function getSettings(deps: Deps, workspaceId: string): Promise<SettingsView> {
  const stored = await loadStored(deps, workspaceId);
  const [token, uploadHash, uploadUrl] = await Promise.all([
    deps.secrets.getSecret(storageKeys.apiToken(workspaceId)),
    deps.secrets.getSecret(storageKeys.uploadTokenHash(workspaceId)),
    deps.webTriggerUrls.getUrl('sarif-upload'),
  ]);
  return {
    username: stored?.username ?? '',
    email: stored?.email ?? '',
    hasApiToken: Boolean(token),
    ...(token && stored?.apiTokenSetAt ? { apiTokenSetAt: stored.apiTokenSetAt } : {}),
    ...(token && stored?.apiTokenSetBy ? { apiTokenSetBy: stored.apiTokenSetBy } : {}),
    hasUploadToken: Boolean(uploadHash),
    ...(uploadHash && stored?.uploadTokenSetAt ? { uploadTokenSetAt: stored.uploadTokenSetAt } : {}),
    uploadUrl,
    policy: { ...defaultPolicy, ...stored?.policy },
  };
}

export async function saveSettings(deps: Deps, workspaceId: string, accountId: string, input: SaveSettingsInput): Promise<SettingsView> {
  const previous = await loadStored(deps, workspaceId);
  const now = deps.clock.now().toISOString();
  const next: StoredSettings = {
    username: input.username,
    email: input.email,
    policy: { ...previous?.policy, ...input.policy },
    ...(previous?.uploadTokenSetAt ? { uploadTokenSetAt: previous.uploadTokenSetAt } : {}),
  };
  if (input.apiToken) {
    await deps.secrets.setSecret(storageKeys.apiToken(workspaceId), input.apiToken);
    next.apiTokenSetAt = now;
    next.apiTokenSetBy = accountId;
  } else if (input.removeApiToken) {
    await deps.secrets.deleteSecret(storageKeys.apiToken(workspaceId));
  } else if (previous?.apiTokenSetAt) {
    next.apiTokenSetAt = previous.apiTokenSetAt;
    if (previous.apiTokenSetBy) next.apiTokenSetBy = previous.apiTokenSetBy;
  }
  await deps.kv.set(storageKeys.settings(workspaceId), next);
  deps.logger.info('Settings saved', { workspaceId, tokenReplaced: Boolean(input.apiToken), tokenRemoved: Boolean(input.removeApiToken) });
  return getSettings(deps, workspaceId);
}

export async function getPolicy(deps: Deps, workspaceId: string): Promise<Policy> {
  const stored = await loadStored(deps, workspaceId);
  return { ...defaultPolicy, ...stored?.policy };
}

export interface ServiceAccount {
  username: string;
  email: string;
  apiToken: string;
}

/** The service account's credentials, or `not_configured` naming what is missing. */
export async function loadServiceAccount(deps: Deps, workspaceId: string): Promise<ServiceAccount> {
  const stored = await loadStored(deps, workspaceId);
  const apiToken = await deps.secrets.getSecret(storageKeys.apiToken(workspaceId));
  if (!stored || !apiToken) {
    throw new AppError(
      'not_configured',
      'Remediate has no Bitbucket service account for this workspace yet: a workspace admin must save a username, email address and API token on the Remediate settings page.',
    );
  }
  return { username: stored.username, email: stored.email, apiToken };
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const UPLOAD_TOKEN = /^rmd_([0-9a-f-]{36})_([A-Za-z0-9_-]{40,64})$/;

/** Issues a new upload token, replacing the old one; only its hash is kept. */
export async function rotateUploadToken(deps: Deps, workspaceId: string): Promise<{ token: string }> {
  const token = `rmd_${unwrapUuid(workspaceId)}_${deps.ids.randomSecret(32)}`;
  await deps.secrets.setSecret(storageKeys.uploadTokenHash(workspaceId), sha256(token));
  const stored = await loadStored(deps, workspaceId);
  if (stored) await deps.kv.set(storageKeys.settings(workspaceId), { ...stored, uploadTokenSetAt: deps.clock.now().toISOString() });
  deps.logger.info('Upload token rotated', { workspaceId });
  return { token };
}

export async function revokeUploadToken(deps: Deps, workspaceId: string): Promise<void> {
  await deps.secrets.deleteSecret(storageKeys.uploadTokenHash(workspaceId));
  const stored = await loadStored(deps, workspaceId);
  if (stored?.uploadTokenSetAt) {
    const { uploadTokenSetAt: _revoked, ...rest } = stored;
    await deps.kv.set(storageKeys.settings(workspaceId), rest);
  }
  deps.logger.info('Upload token revoked', { workspaceId });
}

/** The workspace an upload token belongs to; `unauthorized` unless it matches the stored hash. */
export async function verifyUploadToken(deps: Deps, token: string): Promise<{ workspaceId: string }> {
  const match = UPLOAD_TOKEN.exec(token);
  if (!match?.[1]) throw new AppError('unauthorized', 'The upload token is not a Remediate upload token; copy it from the Remediate settings page.');
  const workspaceId = wrapUuid(match[1]);
  const storedHash = await deps.secrets.getSecret(storageKeys.uploadTokenHash(workspaceId));
  const given = Buffer.from(sha256(token), 'hex');
  const expected = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  if (!storedHash || expected.length !== given.length || !timingSafeEqual(given, expected)) {
    throw new AppError('unauthorized', 'The upload token is not valid (it may have been rotated or revoked); issue a new one on the Remediate settings page.');
  }
  return { workspaceId };
}
