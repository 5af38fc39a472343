import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';
import type { BitbucketEmulatorOptions } from '../src/local/emulator';

/** Authentication, paging, BBQL, faults, admin routes and persistence, over raw HTTP. */

const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
const AUTH = basic('bot@example.com', 'ATATT3xBot');

async function setup(t: TestContext, options: BitbucketEmulatorOptions = {}) {
  const running = await startEmulatorServer(options);
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  const bot = await admin.addUser({ username: 'bot', email: 'bot@example.com', token: 'ATATT3xBot', scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'README.md': 'hello\n' } });
  /** `null`: no Authorization header at all. */
  const get = (path: string, authorization: string | null = AUTH) =>
    fetch(`${running.baseUrl}${path}`, { headers: authorization === null ? {} : { authorization } });
  return { ...running, admin, bot, base: commit, get };
}

test('401s look like bitbucket.org: www-authenticate and the token message', async (t) => {
  const { get } = await setup(t);
  for (const authorization of [basic('bot', 'ATATT3xBot'), basic('bot@example.com', 'wrong'), 'Bearer ATATT3xBot']) {
    const response = await get('/2.0/user', authorization);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Basic realm="Bitbucket.org HTTP"');
    assert.deepEqual(await response.json(), {
      type: 'error',
      error: { message: 'Token is invalid, expired, or not supported for this endpoint.' },
    });
  }
});

test('anonymous calls to a private repository get the not-found message; authenticated ones carry x-oauth-scopes', async (t) => {
  const { get } = await setup(t);
  const anonymous = await get('/2.0/repositories/acme/api', null);
  assert.equal(anonymous.status, 404);
  assert.match(((await anonymous.json()) as { error: { message: string } }).error.message, /^You may not have access to this repository/);
  const authenticated = await get('/2.0/repositories/acme/api');
  assert.equal(authenticated.status, 200);
  assert.equal(authenticated.headers.get('x-oauth-scopes'), ALL_APP_SCOPES.join(', '));
});

test('scopes: each endpoint asks for its own, and the 403 names required and granted', async (t) => {
  const { admin, get } = await setup(t);
  await admin.addUser({ username: 'pr', email: 'pr@example.com', token: 'tok', scopes: ['read:pullrequest:bitbucket'], workspaces: { acme: 'member' } });
  const auth = basic('pr@example.com', 'tok');
  assert.equal((await get('/2.0/repositories/acme/api/pullrequests', auth)).status, 200);
  const denied = await get('/2.0/repositories/acme/api/refs/branches/main', auth);
  assert.equal(denied.status, 403);
  assert.deepEqual(await denied.json(), {
    type: 'error',
    error: {
      message: 'Your credentials lack one or more required privilege scopes.',
      detail: { required: ['read:repository:bitbucket'], granted: ['read:pullrequest:bitbucket'] },
    },
  });
});

test('paging: pagelen defaults to 10, is clamped to 100, and next is absolute on the public base URL', async (t) => {
  const { admin, get } = await setup(t, { publicBaseUrl: 'https://bb.example.test/bitbucket' });
  const files: Record<string, string> = {};
  for (let i = 0; i < 120; i += 1) files[`f${String(i).padStart(3, '0')}.txt`] = String(i);
  const { commit } = await admin.addRepository('acme', 'api', { files });
  type Page = { pagelen: number; page: number; size: number; values: unknown[]; next?: string };
  const first = (await (await get(`/2.0/repositories/acme/api/src/${commit}/`)).json()) as Page;
  assert.equal(first.pagelen, 10);
  assert.equal(first.size, 121);
  const big = (await (await get(`/2.0/repositories/acme/api/src/${commit}/?pagelen=500`)).json()) as Page;
  assert.equal(big.pagelen, 100);
  assert.equal(big.values.length, 100);
  assert.equal(big.next, `https://bb.example.test/bitbucket/2.0/repositories/acme/api/src/${commit}/?pagelen=500&page=2`);
  const second = (await (await get(`/2.0/repositories/acme/api/src/${commit}/?pagelen=500&page=2`)).json()) as Page;
  assert.equal(second.values.length, 21);
  assert.equal(second.next, undefined);
});

test('BBQL: AND/OR/parentheses filter; bad syntax and unknown fields are 400', async (t) => {
  const { get, base, admin } = await setup(t);
  await admin.addUser({ username: 'm', email: 'm@example.com', token: 't', scopes: [], workspaces: { acme: 'member' } });
  const q = (query: string) => get(`/2.0/workspaces/acme/permissions?q=${encodeURIComponent(query)}`);
  type Page = { values: { permission: string; user: { nickname: string } }[] };
  const owners = (await (await q('permission = "owner"')).json()) as Page;
  assert.deepEqual(owners.values.map((value) => value.user.nickname), ['bot']);
  const either = (await (await q('(user.nickname = "m" OR user.nickname = "bot") AND permission != "admin"')).json()) as Page;
  assert.equal(either.values.length, 2);
  assert.equal((await q('permission = ')).status, 400);
  assert.equal((await q('permission = "owner" AND')).status, 400);
  assert.equal((await q('nonsense.field = "x"')).status, 400);
  const branches = await get(`/2.0/repositories/acme/api/refs/branches?q=${encodeURIComponent('name ~ "mai"')}`);
  assert.deepEqual(((await branches.json()) as { values: { name: string; target: { hash: string } }[] }).values.map((b) => [b.name, b.target.hash]), [['main', base]]);
});

test('faults: seeded 429s answer plain text with Retry-After; latency and clearing work', async (t) => {
  const { admin, get, emulator } = await setup(t);
  await admin.setFaults({ rate429: 0.5, seed: 42 });
  const first: number[] = [];
  for (let i = 0; i < 20; i += 1) first.push((await get('/2.0/user')).status);
  await admin.setFaults({ rate429: 0.5, seed: 42 });
  const again: number[] = [];
  for (let i = 0; i < 20; i += 1) again.push((await get('/2.0/user')).status);
  assert.deepEqual(again, first, 'the same seed gives the same faults');
  assert.ok(first.includes(429) && first.includes(200));
  await admin.setFaults({ rate429: 1 });
  const limited = await get('/2.0/user');
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.equal(await limited.text(), 'Rate limit for this resource has been exceeded');
  await admin.setFaults({ latencyMs: 150 });
  const started = Date.now();
  assert.equal((await get('/2.0/user')).status, 200);
  assert.ok(Date.now() - started >= 140);
  await admin.clearFaults();
  assert.equal((await get('/2.0/user')).status, 200);
  assert.ok(emulator.requestLog().every((entry) => entry.user === 'bot' && entry.path === '/2.0/user'));
});

test('request log: every REST call with method, path, status and user; admin calls are not logged', async (t) => {
  const { admin, get } = await setup(t);
  await admin.clearRequests();
  await get('/2.0/repositories/acme/api?fields=uuid');
  await get('/2.0/repositories/acme/nope');
  await get('/2.0/user', null);
  assert.deepEqual(await admin.requests(), [
    { method: 'GET', path: '/2.0/repositories/acme/api?fields=uuid', status: 200, user: 'bot' },
    { method: 'GET', path: '/2.0/repositories/acme/nope', status: 404, user: 'bot' },
    { method: 'GET', path: '/2.0/user', status: 401, user: null },
  ]);
});

test('state persists to the state file and loads in a new emulator; reset forgets everything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-emulator-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateFile = join(dir, 'nested', 'state.json');
  const first = await setup(t, { stateFile });
  const branch = await fetch(`${first.baseUrl}/2.0/repositories/acme/api/refs/branches`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'kept', target: { hash: first.base } }),
  });
  assert.equal(branch.status, 201);
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).repositories[0].branches.kept, first.base);
  await first.close();

  const second = await startEmulatorServer({ stateFile });
  t.after(() => second.close());
  const kept = await fetch(`${second.baseUrl}/2.0/repositories/acme/api/refs/branches/kept`, { headers: { authorization: AUTH } });
  assert.equal(kept.status, 200, 'the user, repository and branch survived');
  second.emulator.reset();
  assert.equal(second.emulator.state.repositories.length, 0);
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).users.length, 0);
});

test('admin: a second repository post adds a commit on main; users are upserted by username', async (t) => {
  const { admin, base, bot, emulator, baseUrl } = await setup(t);
  const again = await admin.addRepository('acme', 'api', { files: { 'b.txt': 'b' } });
  const repo = emulator.repository('acme', 'api');
  assert.deepEqual(repo?.commits[again.commit]?.parents, [base]);
  assert.deepEqual(Object.keys(repo?.commits[again.commit]?.tree ?? {}).sort(), ['README.md', 'b.txt']);
  const updated = await admin.addUser({ username: 'bot', email: 'bot@example.com', token: 'new', scopes: [], workspaces: { acme: 'member' } });
  assert.equal(updated.uuid, bot.uuid);
  assert.equal(emulator.state.users.length, 1);
  const summary = (await (await fetch(`${baseUrl}/_admin/state`)).json()) as { repositories: { fullName: string; branches: Record<string, string> }[] };
  assert.deepEqual(summary.repositories.map((r) => [r.fullName, r.branches.main]), [['acme/api', again.commit]]);
});
