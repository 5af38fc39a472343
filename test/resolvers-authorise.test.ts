/**
 * Repository resolvers ask Bitbucket (as the app, through the emulator) whether the repository
 * belongs to the context's workspace and what the calling account may do there. Each refusal
 * below was an attack that succeeded before the check existed (issue 14, rows 4 and 5).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_ACCOUNT_SCOPES } from '../src/local/demo-seed';
import { ACCESS_CACHE_MS } from '../src/services/caller-access';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let a: Workspace;
let b: Workspace;
let readerAccountId: string;
let findingId: string;

const repoContext = (ws: Workspace, accountId: string, workspaceId = ws.workspaceId) =>
  ({ accountId, workspaceId, extension: { repository: { uuid: ws.repoUuid } } });
const permissionCalls = async () =>
  (await h.admin<{ path: string }[]>('/requests')).filter((entry) => entry.path.includes('/permissions/repositories/')).length;
const pullRequestCount = () => h.host.emulator.repository('authz-a', 'app')?.pullRequests.length ?? 0;

before(async () => {
  h = await startHarness();
  a = await setUpWorkspace(h, 'authz-a', vulnerablePython);
  b = await setUpWorkspace(h, 'authz-b', vulnerablePython);
  const reader = await h.admin<{ account_id: string }>('/users', {
    username: 'authz-reader', email: 'reader@authz-a.test', token: 'ATATT3xReaderAuthz000000000000000000001', scopes: SERVICE_ACCOUNT_SCOPES,
    workspaces: { 'authz-a': 'member' },
  });
  readerAccountId = reader.account_id;
  await h.admin('/repositories/authz-a/app/permissions/authz-reader', { permission: 'read' }, 'PUT');
  const upload = await h.upload({ repository: 'authz-a/app', commit: a.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${a.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
  const listed = await h.invoke<{ items: { id: string }[] }>('listFindings', {}, repoContext(a, a.adminAccountId));
  assert.equal(listed.ok, true, JSON.stringify(listed.error));
  findingId = listed.data?.items[0]?.id ?? '';
  assert.ok(findingId);
});
after(async () => h.close());

test('a member with read access sees findings, scans and pull requests', async () => {
  const asReader = repoContext(a, readerAccountId);
  for (const [key, payload] of [['listFindings', {}], ['getFinding', { id: findingId }], ['previewFix', { id: findingId }], ['listScans', {}], ['listPullRequests', {}]] as const) {
    const result = await h.invoke(key, payload, asReader);
    assert.equal(result.ok, true, `${key}: ${JSON.stringify(result.error)}`);
  }
});

test('a member without write access cannot dismiss, undo a dismissal or make the service account open a PR', async () => {
  const asReader = repoContext(a, readerAccountId);
  const prsBefore = pullRequestCount();
  const dismissed = await h.invoke('dismissFinding', { id: findingId, verdict: 'false_positive', reason: 'hide it' }, asReader);
  assert.equal(dismissed.ok, false);
  assert.equal(dismissed.error?.code, 'forbidden');
  assert.match(dismissed.error?.message ?? '', /write access .* to dismiss findings; your account has read access/);
  const created = await h.invoke('createPullRequest', { findingIds: [findingId] }, asReader);
  assert.equal(created.error?.code, 'forbidden');
  assert.match(created.error?.message ?? '', /write access .* to open fix pull requests/);
  assert.equal(pullRequestCount(), prsBefore, 'no pull request was opened');

  // A writer dismisses; the reader cannot undo it.
  const asWriter = repoContext(a, a.memberAccountId);
  const byWriter = await h.invoke<{ status: string }>('dismissFinding', { id: findingId, verdict: 'wont_fix', reason: 'accepted risk' }, asWriter);
  assert.equal(byWriter.ok, true, JSON.stringify(byWriter.error));
  assert.equal(byWriter.data?.status, 'dismissed');
  const undone = await h.invoke('undoDismissal', { id: findingId }, asReader);
  assert.equal(undone.error?.code, 'forbidden');
  assert.match(undone.error?.message ?? '', /write access .* to undo dismissals/);
  const detail = await h.invoke<{ status: string }>('getFinding', { id: findingId }, asReader);
  assert.equal(detail.data?.status, 'dismissed', 'the refused undo changed nothing');
  const back = await h.invoke<{ status: string }>('undoDismissal', { id: findingId }, asWriter);
  assert.equal(back.ok, true, JSON.stringify(back.error));
  assert.notEqual(back.data?.status, 'dismissed');
});

test("a viewer of another workspace's repository is refused, whichever workspace the context names", async () => {
  // Workspace B's owner, on B's installation, names A's repository.
  const crossed = repoContext(a, b.adminAccountId, b.workspaceId);
  for (const [key, payload] of [
    ['listFindings', {}], ['getFinding', { id: findingId }], ['previewFix', { id: findingId }], ['listScans', {}], ['listPullRequests', {}],
    ['dismissFinding', { id: findingId, verdict: 'false_positive', reason: 'x' }], ['undoDismissal', { id: findingId }],
    ['dismissFindings', { filter: {}, verdict: 'false_positive', reason: 'hide all' }],
    ['createPullRequest', { findingIds: [findingId] }],
  ] as const) {
    const result = await h.invoke(key, payload, crossed);
    assert.equal(result.ok, false, key);
    assert.equal(result.error?.code, 'forbidden', key);
    assert.match(result.error?.message ?? '', /not part of the workspace/, key);
  }
  // The same person naming A's workspace: Bitbucket gives them no access to A's repository.
  const outsider = await h.invoke('listFindings', {}, repoContext(a, b.adminAccountId));
  assert.equal(outsider.error?.code, 'forbidden');
  assert.match(outsider.error?.message ?? '', /need read access .* no access/);
  const nobody = await h.invoke('listFindings', {}, { workspaceId: a.workspaceId, extension: { repository: { uuid: a.repoUuid } } });
  assert.equal(nobody.error?.code, 'forbidden');
});

test('a workspace slug in place of the {uuid} is refused, for settings and repository keys alike', async () => {
  for (const [key, context] of [
    ['getSettings', { accountId: a.adminAccountId, workspaceId: 'authz-a' }],
    ['saveSettings', { accountId: a.adminAccountId, workspaceId: 'authz-a' }],
    ['listFindings', repoContext(a, a.adminAccountId, 'authz-a')],
    ['dismissFinding', repoContext(a, a.adminAccountId, 'authz-a')],
  ] as const) {
    const payload = key === 'saveSettings' ? { username: 'x', email: 'x@y.test' } : key === 'dismissFinding' ? { id: findingId, verdict: 'wont_fix', reason: 'r' } : {};
    const result = await h.invoke(key, payload, context);
    assert.equal(result.error?.code, 'bad_request', key);
    assert.match(result.error?.message ?? '', /workspaceId must be the workspace \{uuid\}/, key);
  }
});

test('the answer is reused for at most five minutes: a revoked reader is refused once it is older', async () => {
  const asReader = repoContext(a, readerAccountId);
  await h.admin('/requests', undefined, 'DELETE');
  assert.equal((await h.invoke('listFindings', {}, asReader)).ok, true);
  assert.equal((await h.invoke('listScans', {}, asReader)).ok, true);
  assert.ok((await permissionCalls()) <= 1, 'one question to Bitbucket for both calls at most');

  await h.admin('/repositories/authz-a/app/permissions/authz-reader', { permission: 'none' }, 'PUT');
  // Age the stored answer past the limit, as five minutes passing would.
  const key = `access:${a.workspaceId.replace(/[{}]/g, '')}:${a.repoUuid.replace(/[{}]/g, '')}:${readerAccountId}`;
  const cached = await h.host.app.deps.kv.get<{ checkedAt: number }>(key);
  assert.ok(cached, 'the answer is kept in the key-value store');
  await h.host.app.deps.kv.set(key, { ...cached, checkedAt: Date.now() - ACCESS_CACHE_MS - 1 });
  const refused = await h.invoke('listFindings', {}, asReader);
  assert.equal(refused.error?.code, 'forbidden');
  assert.match(refused.error?.message ?? '', /need read access/);
  await h.admin('/repositories/authz-a/app/permissions/authz-reader', { permission: 'read' }, 'PUT');
});

test('the emulator answers the permission listing as Bitbucket does: admins and the app only, one workspace', async () => {
  const base = `${h.url}/bitbucket/2.0/workspaces`;
  const q = encodeURIComponent(`user.account_id="${a.memberAccountId}"`);
  const asApp = await fetch(`${base}/authz-a/permissions/repositories/app?q=${q}`, { headers: { Authorization: 'Bearer local-forge-app' } });
  assert.equal(asApp.status, 200);
  const body = (await asApp.json()) as { values: { type: string; permission: string; user: { account_id: string }; repository: { uuid: string } }[] };
  assert.deepEqual(body.values.map((v) => [v.type, v.permission, v.user.account_id, v.repository.uuid]), [['repository_permission', 'write', a.memberAccountId, a.repoUuid]]);
  const elsewhere = await fetch(`${base}/authz-b/permissions/repositories/${encodeURIComponent(a.repoUuid)}`, { headers: { Authorization: 'Bearer local-forge-app' } });
  assert.equal(elsewhere.status, 404);
  const basic = (email: string, token: string) => ({ Authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` });
  const asMember = await fetch(`${base}/authz-a/permissions/repositories/app`, { headers: basic('member@authz-a.test', 'ATATT3xMemberauthz-a000000000000000000001') });
  assert.equal(asMember.status, 403, 'a writer is no repository admin');
  const asOwner = await fetch(`${base}/authz-a/permissions/repositories/app`, { headers: basic('owner@authz-a.test', 'ATATT3xOwnerauthz-a0000000000000000000001') });
  assert.equal(asOwner.status, 200);
  // A reader may look but not push.
  const push = await fetch(`${h.url}/bitbucket/2.0/repositories/authz-a/app/refs/branches`, {
    method: 'POST', headers: { ...basic('reader@authz-a.test', 'ATATT3xReaderAuthz000000000000000000001'), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'x', target: { hash: a.commit } }),
  });
  assert.equal(push.status, 403);
});
