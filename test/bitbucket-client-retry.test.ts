import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { AppError } from '../src/domain/errors';
import type { HttpFetch } from '../src/ports';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const repo = { workspace: 'acme', repo: 'api' };

async function setup(t: TestContext, maxAttempts?: number) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'app.js': 'x\n' } });
  const sleeps: number[] = [];
  const client = createBitbucketClient({
    baseUrl: running.baseUrl,
    fetch: nodeFetch,
    credentials: { email: BOT.email, apiToken: BOT.token },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    maxAttempts,
  });
  running.emulator.clearRequestLog();
  return { ...running, admin, client, commit, sleeps };
}

const statuses = (log: { status: number }[]) => log.map((entry) => entry.status);

test('429s are retried after Retry-After and the call succeeds', async (t) => {
  const { client, admin, emulator, sleeps } = await setup(t);
  await admin.setFaults({ rate429: 1, count: 2, match: 'GET /2.0/user' });
  const user = await client.getCurrentUser();
  assert.equal(user.username, 'remediate-bot');
  assert.deepEqual(statuses(emulator.requestLog()), [429, 429, 200]);
  assert.deepEqual(sleeps, [1000, 1000]);
  assert.equal(client.budget().made, 3, 'every attempt is counted');
});

test('5xx on a read is retried with growing, jittered backoff', async (t) => {
  const { client, admin, emulator, sleeps } = await setup(t);
  await admin.setFaults({ rate5xx: 1, count: 3, match: '/refs/branches/main' });
  assert.ok(await client.getBranch(repo, 'main'));
  assert.deepEqual(statuses(emulator.requestLog()), [500, 500, 500, 200]);
  assert.equal(sleeps.length, 3);
  sleeps.forEach((ms, i) => {
    assert.ok(ms >= 500 * 2 ** i && ms <= 1000 * 2 ** i, `delay ${i} = ${ms}`);
  });
});

test('retries stop after maxAttempts with server_error', async (t) => {
  const { client, admin, emulator } = await setup(t, 3);
  await admin.setFaults({ rate5xx: 1, match: '/2.0/user' });
  await assert.rejects(client.getCurrentUser(), (error: unknown) => error instanceof AppError && error.code === 'server_error');
  assert.equal(emulator.requestLog().length, 3);
});

test('a Retry-After beyond the 30 s budget is not waited for', async () => {
  let calls = 0;
  const slow: HttpFetch = async () => {
    calls += 1;
    return { status: 429, headers: { get: (name) => (name === 'retry-after' ? '45' : null) }, text: async () => 'Rate limit for this resource has been exceeded' };
  };
  const sleeps: number[] = [];
  const client = createBitbucketClient({
    baseUrl: 'https://api.bitbucket.test',
    fetch: slow,
    credentials: { email: 'bot@example.com', apiToken: 'ATATT3xToken' },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  await assert.rejects(
    client.getCurrentUser(),
    (error: unknown) =>
      error instanceof AppError &&
      error.code === 'rate_limited' &&
      error.details?.retryAfterSeconds === 45 &&
      /Rate limit for this resource has been exceeded/.test(error.message),
  );
  assert.equal(calls, 1);
  assert.deepEqual(sleeps, []);
});

test('POST /src after a 5xx that lost the commit is re-sent only once the branch shows it did not land', async (t) => {
  const { client, admin, emulator, commit } = await setup(t);
  await admin.setFaults({ rate5xx: 1, count: 1, match: 'POST ' });
  const tip = await client.commitFiles({ repo, branch: 'remediate/lost', parent: commit, message: 'fix', files: [{ path: 'app.js', content: 'y\n' }] });
  const log = emulator.requestLog();
  assert.deepEqual(log.map((entry) => `${entry.method} ${entry.status}`), ['POST 500', 'GET 404', 'POST 201', 'GET 200']);
  const record = emulator.repository('acme', 'api');
  assert.equal(record?.branches['remediate/lost'], tip.hash);
  assert.deepEqual(record?.commits[tip.hash]?.parents, [commit]);
});

test('POST /src that keeps failing gives up with server_error after maxAttempts, never committing twice', async (t) => {
  const { client, admin, emulator, commit } = await setup(t, 3);
  await admin.setFaults({ rate5xx: 1, match: 'POST ' });
  await assert.rejects(
    client.commitFiles({ repo, branch: 'remediate/down', parent: commit, message: 'fix', files: [{ path: 'app.js', content: 'y\n' }] }),
    (error: unknown) => error instanceof AppError && error.code === 'server_error',
  );
  assert.equal(emulator.requestLog().filter((entry) => entry.method === 'POST').length, 3);
  assert.equal(emulator.repository('acme', 'api')?.branches['remediate/down'], undefined);
});

test('POST /src that landed before its 5xx is recognised from the branch tip, not re-sent', async (t) => {
  const { client, admin, emulator, commit } = await setup(t);
  await admin.setFaults({ rate5xx: 1, count: 1, match: 'POST ', after: true });
  const tip = await client.commitFiles({ repo, branch: 'remediate/landed', parent: commit, message: 'fix', files: [{ path: 'app.js', content: 'y\n' }] });
  const record = emulator.repository('acme', 'api');
  assert.equal(tip.hash, record?.branches['remediate/landed']);
  assert.deepEqual(record?.commits[tip.hash]?.parents, [commit]);
  assert.equal(emulator.requestLog().filter((entry) => entry.method === 'POST').length, 1);
});

test('another writer\'s commit on the same parent is not taken for ours', async (t) => {
  const { client, emulator, commit, baseUrl } = await setup(t);
  let theirs = '';
  // Our POST never reaches Bitbucket, but meanwhile someone else commits on the same parent.
  const racing: HttpFetch = async (url, init) => {
    if (init?.method === 'POST' && url.endsWith('/src')) {
      const tip = await client.commitFiles({ repo, branch: 'remediate/shared', parent: commit, message: 'theirs', files: [{ path: 'b', content: '1' }] });
      theirs = tip.hash;
      return { status: 502, headers: { get: () => null }, text: async () => 'Bad gateway' };
    }
    return nodeFetch(url, init);
  };
  const ours = createBitbucketClient({ baseUrl, fetch: racing, credentials: { email: BOT.email, apiToken: BOT.token }, sleep: async () => {} });
  await assert.rejects(
    ours.commitFiles({ repo, branch: 'remediate/shared', parent: commit, message: 'ours', files: [{ path: 'b', content: '2' }] }),
    (error: unknown) => error instanceof AppError && error.code === 'server_error',
  );
  assert.equal(emulator.repository('acme', 'api')?.branches['remediate/shared'], theirs);
  assert.deepEqual(emulator.repository('acme', 'api')?.commits[theirs]?.parents, [commit], 'the tip does sit on our parent');
});

test('createPullRequest after a lost answer finds the pull request instead of failing or duplicating', async (t) => {
  const { client, admin, emulator, commit } = await setup(t);
  await client.commitFiles({ repo, branch: 'remediate/pr', parent: commit, message: 'fix', files: [{ path: 'app.js', content: 'y\n' }] });
  await admin.setFaults({ rate5xx: 1, count: 1, match: 'POST /2.0/repositories/acme/api/pullrequests', after: true });
  const pr = await client.createPullRequest({ repo, title: 'Fix', description: 'd', sourceBranch: 'remediate/pr', destinationBranch: 'main' });
  assert.equal(pr.id, 1);
  assert.equal(emulator.repository('acme', 'api')?.pullRequests.length, 1);
});

test('budget() counts requests in a rolling minute and hour', async () => {
  let now = 1_000_000;
  const ok: HttpFetch = async () => ({
    status: 200,
    headers: { get: () => null },
    text: async () => JSON.stringify({ uuid: '{u}', account_id: 'a', nickname: 'n', display_name: 'N' }),
  });
  const client = createBitbucketClient({
    baseUrl: 'https://api.bitbucket.test',
    fetch: ok,
    credentials: { email: 'bot@example.com', apiToken: 'ATATT3xToken' },
    now: () => now,
  });
  assert.deepEqual(client.budget(), { made: 0, remainingThisMinute: 100, remainingThisHour: 1000 });
  for (let i = 0; i < 3; i += 1) await client.getCurrentUser();
  // `/2.0/user` is not repository data: Forge's minute counts it, Bitbucket's hour does not.
  assert.deepEqual(client.budget(), { made: 3, remainingThisMinute: 97, remainingThisHour: 1000 });
  for (let i = 0; i < 2; i += 1) await client.getBranch({ workspace: 'acme', repo: 'api' }, 'main').catch(() => undefined);
  assert.deepEqual(client.budget(), { made: 5, remainingThisMinute: 95, remainingThisHour: 998 });
  now += 61_000;
  await client.getBranch({ workspace: 'acme', repo: 'api' }, 'main').catch(() => undefined);
  assert.deepEqual(client.budget(), { made: 6, remainingThisMinute: 99, remainingThisHour: 997 });
  now += 3_600_000 - 30_000;
  assert.deepEqual(client.budget(), { made: 6, remainingThisMinute: 100, remainingThisHour: 999 });
});
