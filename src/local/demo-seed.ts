import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../ports';
import type { LocalApp } from './compose';
import type { BitbucketEmulator } from './emulator';
import { filesUnder } from './files-under';

export const DEMO_WORKSPACE = 'acme';
export const DEMO_REPOSITORY = 'vulnerable-app';
export const SERVICE_ACCOUNT_SCOPES = [
  'read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket',
  'read:pullrequest:bitbucket', 'write:repository:bitbucket', 'write:pullrequest:bitbucket',
];
/** Demo-only credentials that exist in the embedded emulator and nowhere else. */
export const DEMO_SERVICE_ACCOUNT = {
  username: 'remediate-bot',
  email: 'remediate-bot@acme.example',
  token: 'ATATT3xDemoServiceAccountToken0000000001',
};

export interface DemoResult {
  seeded: boolean;
  adminAccountId?: string;
  memberAccountId?: string;
  scan?: { scanId: string; status: string; counts: unknown; pullRequests: { id: number; url: string }[] };
  pages: { settings: string; repository: string };
}


async function call<T>(url: string, init: RequestInit & { expect?: number[] } = {}): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!(init.expect ?? [200, 201, 202]).includes(response.status)) {
    throw new Error(`Demo step failed: ${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

const postJson = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/**
 * The demo, driven through the same surfaces a person and a CI job use: emulator admin routes
 * create the workspace, people and repository; the settings resolvers save the service account
 * and issue an upload token; the web trigger receives the bundled SARIF; the queue does the rest.
 */
export async function seedDemo(input: { url: string; app: LocalApp; emulator: BitbucketEmulator; logger: Logger; projectDir: string }): Promise<DemoResult> {
  const { url } = input;
  const pages = {
    settings: `${url}/workspace/${DEMO_WORKSPACE}/settings`,
    repository: `${url}/repository/${DEMO_WORKSPACE}/${DEMO_REPOSITORY}`,
  };
  if (input.emulator.state.users.length > 0) return { seeded: false, pages };

  const admin = await call<{ account_id: string }>(`${url}/bitbucket/_admin/users`, postJson({
    username: 'alex-admin', email: 'alex@acme.example', token: 'ATATT3xDemoAdminToken00000000000000000001', displayName: 'Alex Admin',
    scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { [DEMO_WORKSPACE]: 'owner' },
  }));
  const member = await call<{ account_id: string }>(`${url}/bitbucket/_admin/users`, postJson({
    username: 'dana-dev', email: 'dana@acme.example', token: 'ATATT3xDemoMemberToken0000000000000000001', displayName: 'Dana Developer',
    scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { [DEMO_WORKSPACE]: 'member' },
  }));
  await call(`${url}/bitbucket/_admin/users`, postJson({
    ...DEMO_SERVICE_ACCOUNT, displayName: 'Remediate Bot', scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { [DEMO_WORKSPACE]: 'member' },
  }));
  const repository = await call<{ uuid: string; commit: string }>(
    `${url}/bitbucket/_admin/repositories/${DEMO_WORKSPACE}/${DEMO_REPOSITORY}`,
    postJson({ files: filesUnder(join(input.projectDir, 'demo', DEMO_REPOSITORY)), mainbranch: 'main' }),
  );
  // Dana may read the repository but not change it: her `?accountId=` view shows findings and
  // refuses dismissals and fix pull requests, as Bitbucket's repository permission says.
  await call(`${url}/bitbucket/_admin/repositories/${DEMO_WORKSPACE}/${DEMO_REPOSITORY}/permissions/dana-dev`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ permission: 'read' }),
  });
  const workspaceId = input.emulator.state.workspaces.find((ws) => ws.slug === DEMO_WORKSPACE)?.uuid;
  const context = { accountId: admin.account_id, workspaceId };
  const invoke = async <T>(functionKey: string, payload: unknown): Promise<T> => {
    const result = await call<{ ok: boolean; data?: T; error?: { message: string } }>(`${url}/forge/invoke`, postJson({ functionKey, payload, context }));
    if (!result.ok) throw new Error(`Demo step ${functionKey} failed: ${result.error?.message}`);
    return result.data as T;
  };
  await invoke('saveSettings', { username: DEMO_SERVICE_ACCOUNT.username, email: DEMO_SERVICE_ACCOUNT.email, apiToken: DEMO_SERVICE_ACCOUNT.token });
  const { token } = await invoke<{ token: string }>('rotateUploadToken', {});
  const sarif = readFileSync(join(input.projectDir, 'demo', `${DEMO_REPOSITORY}.sarif`), 'utf8');
  const upload = await call<{ scanId: string }>(
    `${url}/forge/webtrigger/sarif-upload?repository=${DEMO_WORKSPACE}/${DEMO_REPOSITORY}&commit=${repository.commit}&branch=main`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/sarif+json' }, body: sarif },
  );
  await input.app.queue.idle();
  const scan = await call<NonNullable<DemoResult['scan']>>(`${url}/forge/webtrigger/sarif-upload?scan=${upload.scanId}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  input.logger.info('Demo seeded', { scanId: scan.scanId, status: scan.status, pullRequests: scan.pullRequests.length });
  return { seeded: true, adminAccountId: admin.account_id, memberAccountId: member.account_id, scan, pages };
}
