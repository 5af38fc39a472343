/**
 * Starts the real local host (resolvers, web trigger, consumer, Bitbucket emulator) on a free
 * loopback port with a temporary data dir, and offers the calls tests make over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { SERVICE_ACCOUNT_SCOPES } from '../../src/local/demo-seed';

export interface Harness {
  host: LocalHost;
  url: string;
  dataDir: string;
  invoke<T = unknown>(functionKey: string, payload: unknown, context: Record<string, unknown>): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }>;
  admin<T = unknown>(path: string, body?: unknown, method?: string): Promise<T>;
  upload(query: Record<string, string>, body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  /** `GET ?scan=` on the upload web trigger, as CI reads a scan's status with its upload token. */
  scanStatus(scanId: string, uploadToken: string): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** A web-trigger answer: its status and its JSON body (the raw text when it is not JSON). */
async function reply(response: Response): Promise<{ status: number; json: any }> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

export async function startHarness(options: { seedDemo?: boolean; dataDir?: string; uploadSettleSeconds?: number } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'remediate-test-'));
  const host = await startLocalHost({
    port: 0, dataDir, seedDemo: options.seedDemo ?? false, quiet: true,
    ...(options.uploadSettleSeconds ? { uploadSettleSeconds: options.uploadSettleSeconds } : {}),
  });
  const url = host.url;
  return {
    host,
    url,
    dataDir,
    async invoke(functionKey, payload, context) {
      const response = await fetch(`${url}/forge/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ functionKey, payload, context }),
      });
      return (await response.json()) as never;
    },
    async admin(path, body, method) {
      const response = await fetch(`${url}/bitbucket/_admin${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`admin ${path} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
    async upload(query, body, headers = {}) {
      const response = await fetch(`${url}/forge/webtrigger/sarif-upload?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sarif+json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      return reply(response);
    },
    async scanStatus(scanId, uploadToken) {
      return reply(await fetch(`${url}/forge/webtrigger/sarif-upload?scan=${scanId}`, { headers: { Authorization: `Bearer ${uploadToken}` } }));
    },
    async close() {
      await host.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Each test workspace gets its own service account, as a careful admin would set up. */
export const serviceAccount = (slug: string) => ({
  username: `${slug}-bot`,
  email: `bot@${slug}.test`,
  token: `ATATT3xService${slug}Token00000000000000042`,
});

export interface Workspace {
  workspaceId: string;
  adminAccountId: string;
  memberAccountId: string;
  repoUuid: string;
  commit: string;
  uploadToken: string;
  adminContext: Record<string, unknown>;
  repoContext: Record<string, unknown>;
}

/** A workspace with an owner, a member, the service account, one repository, saved settings and an upload token. */
export async function setUpWorkspace(h: Harness, slug: string, files: Record<string, string>, repoSlug = 'app'): Promise<Workspace> {
  const owner = await h.admin<{ account_id: string }>('/users', {
    username: `${slug}-owner`, email: `owner@${slug}.test`, token: `ATATT3xOwner${slug}0000000000000000000001`, scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { [slug]: 'owner' },
  });
  const member = await h.admin<{ account_id: string }>('/users', {
    username: `${slug}-member`, email: `member@${slug}.test`, token: `ATATT3xMember${slug}000000000000000000001`, scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { [slug]: 'member' },
  });
  const service = serviceAccount(slug);
  await h.admin('/users', { ...service, displayName: 'Fix Bot', scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { [slug]: 'member' } });
  const repo = await h.admin<{ uuid: string; commit: string }>(`/repositories/${slug}/${repoSlug}`, { files, mainbranch: 'main' });
  const workspaceId = h.host.emulator.state.workspaces.find((ws) => ws.slug === slug)?.uuid ?? '';
  const adminContext = { accountId: owner.account_id, workspaceId };
  const saved = await h.invoke('saveSettings', { username: service.username, email: service.email, apiToken: service.token }, adminContext);
  if (!saved.ok) throw new Error(`saveSettings failed: ${JSON.stringify(saved.error)}`);
  const rotated = await h.invoke<{ token: string }>('rotateUploadToken', {}, adminContext);
  if (!rotated.ok || !rotated.data) throw new Error('rotateUploadToken failed');
  return {
    workspaceId,
    adminAccountId: owner.account_id,
    memberAccountId: member.account_id,
    repoUuid: repo.uuid,
    commit: repo.commit,
    uploadToken: rotated.data.token,
    adminContext,
    repoContext: { accountId: member.account_id, workspaceId, extension: { repository: { uuid: repo.uuid } } },
  };
}

/** Pushes `files` as a new commit on the repository's main branch (as a developer would); returns its hash. */
export async function pushCommit(h: Harness, slug: string, files: Record<string, string>, repoSlug = 'app'): Promise<string> {
  const pushed = await h.admin<{ commit: string }>(`/repositories/${slug}/${repoSlug}`, { files, message: 'A later commit' });
  return pushed.commit;
}
