/** Resolvers through `POST /forge/invoke`, exactly as the bridge shim (and Forge) call them. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolverHandlers } from '../src/entry/resolvers';
import { serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let ws: Workspace;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'resolver-ws', vulnerablePython);
});
after(async () => h.close());

test('an unknown resolver key or a bad payload answers {ok:false}, not a crash', async () => {
  const unknown = await h.invoke('dropTables', {}, ws.adminContext);
  assert.equal(unknown.ok, false);
  assert.equal(unknown.error?.code, 'unknown_resolver');
  const bad = await h.invoke('saveSettings', { username: 'x', email: 'not-an-email' }, ws.adminContext);
  assert.equal(bad.ok, false);
  assert.equal(bad.error?.code, 'bad_request');
  assert.match(bad.error?.message ?? '', /^email:/);
  const swapped = await h.invoke('saveSettings', { username: 'bot@resolver-ws.test', email: 'bot@resolver-ws.test' }, ws.adminContext);
  assert.match(swapped.error?.message ?? '', /username looks like an email/);
  const noRepo = await h.invoke('listFindings', {}, ws.adminContext);
  assert.equal(noRepo.error?.code, 'bad_request');
  const malformed = await fetch(`${h.url}/forge/invoke`, { method: 'POST', body: 'not json' });
  assert.equal(malformed.status, 400);
  assert.equal((await malformed.json()).ok, false);
});

/**
 * Keys that are not for admins only: the repository page's and the card's (they check the caller's
 * repository permission instead: test/resolvers-authorise.test.ts), and the codemod catalogue.
 * Every other key is a settings key and must refuse non-admins, so a key added later is refused
 * here until someone decides otherwise.
 */
const openToMembers = new Set([
  'listCodemods', 'listFindings', 'getFinding', 'previewFix', 'listPullRequests', 'listScans', 'createPullRequest', 'dismissFinding', 'dismissFindings', 'undoDismissal',
]);

test('settings are for workspace admins only, enforced by the resolver', async () => {
  const asMember = { accountId: ws.memberAccountId, workspaceId: ws.workspaceId };
  const settingsKeys = Object.keys(resolverHandlers).filter((key) => !openToMembers.has(key));
  assert.deepEqual(settingsKeys.sort(), ['getSettings', 'revokeUploadToken', 'rotateUploadToken', 'saveSettings', 'testConnection']);
  for (const key of settingsKeys) {
    const result = await h.invoke(key, key === 'saveSettings' ? { username: 'a', email: 'a@b.test' } : {}, asMember);
    assert.equal(result.ok, false, key);
    assert.equal(result.error?.code, 'not_admin', key);
  }
  const anonymous = await h.invoke('getSettings', {}, { workspaceId: ws.workspaceId });
  assert.equal(anonymous.error?.code, 'not_admin');
});

test('the API token is stored as a secret and never sent back', async () => {
  const service = serviceAccount('resolver-ws');
  const settings = await h.invoke<Record<string, unknown>>('getSettings', {}, ws.adminContext);
  assert.equal(settings.ok, true);
  assert.equal(settings.data?.username, service.username);
  assert.equal(settings.data?.email, service.email);
  assert.equal(settings.data?.hasApiToken, true);
  assert.equal(settings.data?.apiTokenSetBy, ws.adminAccountId);
  assert.match(String(settings.data?.uploadUrl), /\/forge\/webtrigger\/sarif-upload$/);
  assert.ok(!JSON.stringify(settings).includes(service.token));
  // Saving without a token keeps the stored one.
  const resaved = await h.invoke<Record<string, unknown>>('saveSettings', { username: service.username, email: service.email, policy: { minConfidence: 70 } }, ws.adminContext);
  assert.equal(resaved.data?.hasApiToken, true);
  assert.equal((resaved.data?.policy as { minConfidence: number }).minConfidence, 70);
  const kvRows = await h.host.app.deps.db.query<{ n: number }>('SELECT 1 AS n');
  assert.equal(kvRows.length, 1);
  const stored = h.host.app.deps.kv.get<Record<string, unknown>>(`settings:${ws.workspaceId.replace(/[{}]/g, '')}`);
  assert.ok(!JSON.stringify(await stored).includes(service.token), 'settings hold no token');
});

test('testConnection proves each check against the emulator', async () => {
  await h.upload({ repository: 'resolver-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  await h.host.app.queue.idle();
  const result = await h.invoke<{ ok: boolean; checks: { id: string; ok: boolean; detail: string }[] }>('testConnection', {}, ws.adminContext);
  assert.equal(result.ok, true, JSON.stringify(result));
  const ids = result.data?.checks.map((check) => check.id) ?? [];
  for (const id of ['auth', 'username', 'scope:read:user', 'scope:read:workspace', 'scope:read:repository', 'scope:read:pullrequest', 'scope:write:pullrequest', 'scope:write:repository']) {
    assert.ok(ids.includes(id), `check ${id} present`);
  }
  assert.equal(result.data?.ok, true, JSON.stringify(result.data?.checks.filter((c) => !c.ok)));
});

test('testConnection names the wrong username and a bad token', async () => {
  const service = serviceAccount('resolver-ws');
  await h.invoke('saveSettings', { username: 'someone-else', email: service.email }, ws.adminContext);
  const wrongName = await h.invoke<{ ok: boolean; checks: { id: string; ok: boolean; detail: string }[] }>('testConnection', {}, ws.adminContext);
  const username = wrongName.data?.checks.find((check) => check.id === 'username');
  assert.equal(username?.ok, false);
  assert.match(username?.detail ?? '', /resolver-ws-bot/);
  await h.invoke('saveSettings', { username: service.username, email: service.email }, ws.adminContext);
  // A well-formed but wrong token is refused when saved: the working one stays.
  const before = await h.invoke<{ apiTokenSetAt?: string }>('getSettings', {}, ws.adminContext);
  const badToken = await h.invoke('saveSettings', { username: service.username, email: service.email, apiToken: 'ATATT3xThisTokenIsWrong000000000000000' }, ws.adminContext);
  assert.equal(badToken.ok, false);
  assert.equal(badToken.error?.code, 'unauthorized');
  assert.match(badToken.error?.message ?? '', /Not saved: .*401.*The token saved before is still in use/);
  assert.ok(!JSON.stringify(badToken).includes('ATATT3xThisTokenIsWrong'));
  const after = await h.invoke<{ apiTokenSetAt?: string }>('getSettings', {}, ws.adminContext);
  assert.equal(after.data?.apiTokenSetAt, before.data?.apiTokenSetAt, 'the stored token was not replaced');
  const still = await h.invoke<{ ok: boolean }>('testConnection', {}, ws.adminContext);
  assert.equal(still.data?.ok, true, 'the old token still works');
  // A wrong email address under the stored token is refused the same way.
  const wrongEmail = await h.invoke('saveSettings', { username: service.username, email: 'nobody@resolver-ws.test' }, ws.adminContext);
  assert.equal(wrongEmail.error?.code, 'unauthorized');
  const good = await h.invoke<{ signIn?: { ok: boolean; detail: string } }>('saveSettings', { username: service.username, email: service.email, apiToken: service.token }, ws.adminContext);
  assert.equal(good.data?.signIn?.ok, true);
  assert.match(good.data?.signIn?.detail ?? '', /Signed in as/);
});

test('testConnection on a fresh workspace picks a repository the account can read; what it cannot test is neutral; a mistyped repository is named', async () => {
  const fresh = await setUpWorkspace(h, 'fresh-ws', { 'a.py': 'x = 1\n' });
  const result = await h.invoke<{ ok: boolean; checks: { id: string; ok: boolean; outcome?: string; detail: string }[] }>('testConnection', {}, fresh.adminContext);
  assert.equal(result.data?.ok, true, JSON.stringify(result.data?.checks.filter((c) => !c.ok)));
  assert.match(result.data?.checks.find((c) => c.id === 'scope:read:repository')?.detail ?? '', /Read fresh-ws\/app/);
  assert.ok(result.data?.checks.every((c) => c.outcome === 'passed'));

  const mistyped = await h.invoke<{ ok: boolean; checks: { id: string; ok: boolean; outcome?: string; detail: string }[] }>('testConnection', { repository: 'ap' }, fresh.adminContext);
  assert.equal(mistyped.data?.ok, false);
  const read = mistyped.data?.checks.find((c) => c.id === 'scope:read:repository');
  assert.equal(read?.outcome, 'failed');
  assert.match(read?.detail ?? '', /no repository "ap" in this workspace/);
  assert.doesNotMatch(JSON.stringify(mistyped.data), /%7B|\/2\.0\/repositories/);
  assert.deepEqual(mistyped.data?.checks.filter((c) => c.outcome === 'not-tested').map((c) => c.id), ['scope:read:pullrequest', 'scope:write:pullrequest', 'scope:write:repository']);

  // A service account that can read no repository yet: the repository checks are "not tested", not failed.
  const lonely = await setUpWorkspace(h, 'lonely-ws', { 'a.py': 'x = 1\n' });
  await h.admin('/repositories/lonely-ws/app/permissions/lonely-ws-bot', { permission: 'none' }, 'PUT');
  const none = await h.invoke<{ ok: boolean; checks: { id: string; ok: boolean; outcome?: string; detail: string }[] }>('testConnection', {}, lonely.adminContext);
  const repositoryCheck = none.data?.checks.find((c) => c.id === 'repository');
  assert.equal(repositoryCheck?.outcome, 'not-tested', JSON.stringify(none.data?.checks));
  assert.match(repositoryCheck?.detail ?? '', /Not tested yet/);
  assert.equal(none.data?.ok, true, 'nothing failed');
});

test('rotating the upload token invalidates the old one', async () => {
  const first = await h.invoke<{ token: string }>('rotateUploadToken', {}, ws.adminContext);
  const second = await h.invoke<{ token: string }>('rotateUploadToken', {}, ws.adminContext);
  assert.notEqual(first.data?.token, second.data?.token);
  const old = await h.upload({ repository: 'resolver-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${first.data?.token}` });
  assert.equal(old.status, 401);
  const fresh = await h.upload({ repository: 'resolver-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${second.data?.token}` });
  assert.equal(fresh.status, 202);
  ws.uploadToken = second.data?.token ?? '';
  await h.host.app.queue.idle();
});

test('repository resolvers list findings, a finding, pull requests and scans', async () => {
  const findings = await h.invoke<{ items: any[]; counts: { total: number } }>('listFindings', {}, ws.repoContext);
  assert.equal(findings.ok, true);
  assert.equal(findings.data?.counts.total, 1);
  const item = findings.data?.items[0];
  assert.equal(item.path, 'loader.py');
  assert.equal(item.line, 5);
  assert.equal(item.verdict, 'true_positive');
  assert.ok(item.confidence >= 60 && item.confidence <= 100);
  assert.equal(item.status, 'fix_proposed');
  assert.ok(item.pullRequest?.url);
  const detail = await h.invoke<any>('getFinding', { id: item.id }, ws.repoContext);
  assert.match(detail.data.fix.diff, /-\s+return yaml\.load\(text\)\n\+\s+return yaml\.safe_load\(text\)/);
  const prs = await h.invoke<{ items: any[] }>('listPullRequests', {}, ws.repoContext);
  assert.equal(prs.data?.items.length, 1);
  assert.equal(prs.data?.items[0].state, 'OPEN');
  const scans = await h.invoke<{ items: any[] }>('listScans', {}, ws.repoContext);
  assert.ok((scans.data?.items.length ?? 0) >= 2);
  const missing = await h.invoke('getFinding', { id: 'nope' }, ws.repoContext);
  assert.equal(missing.error?.code, 'not_found');
});

test('a dismissal sticks across later scans', async () => {
  const findings = await h.invoke<{ items: any[] }>('listFindings', {}, ws.repoContext);
  const id = findings.data?.items[0].id;
  const dismissed = await h.invoke<any>('dismissFinding', { id, verdict: 'wont_fix', reason: 'internal tool, config is trusted' }, ws.repoContext);
  assert.equal(dismissed.data.status, 'dismissed');
  await h.upload({ repository: 'resolver-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  await h.host.app.queue.idle();
  const after = await h.invoke<any>('getFinding', { id }, ws.repoContext);
  assert.equal(after.data.status, 'dismissed');
  assert.equal(after.data.verdict, 'wont_fix');
  assert.match(after.data.justification, /internal tool/);
});
