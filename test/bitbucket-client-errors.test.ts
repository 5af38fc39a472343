import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { BitbucketTransport } from '../src/bitbucket/http';
import { apiPath } from '../src/bitbucket/paths';
import { pageSchema } from '../src/bitbucket/schemas';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';
import { rejection } from './support/rejection';

/** One test per error case, through the client, against the emulator over loopback HTTP. */

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const repo = { workspace: 'acme', repo: 'api' };

async function setup(t: TestContext, options: { maxAttempts?: number; limits?: { perMinute?: number; perHour?: number } } = {}) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  await admin.addUser({ username: 'reader', email: 'reader@example.com', token: 'ATATT3xReader', scopes: ['read:repository:bitbucket'], workspaces: { acme: 'member' } });
  await admin.addUser({ username: 'alice', email: 'alice@globex.test', token: 'alice-token', scopes: ALL_APP_SCOPES, workspaces: { globex: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'app.js': 'x\n' } });
  await admin.addRepository('globex', 'secret', { files: { 'README.md': '#\n' } });
  const make = (email = BOT.email, apiToken = BOT.token) =>
    createBitbucketClient({ baseUrl: running.baseUrl, fetch: nodeFetch, credentials: { email, apiToken }, sleep: async () => {}, ...options });
  running.emulator.clearRequestLog();
  return { ...running, admin, commit, client: make(), make };
}

test('401: a bad token is unauthorized', async (t) => {
  const { make } = await setup(t);
  const error = await rejection(make(BOT.email, 'ATATT3xWrong').getRepository(repo));
  assert.equal(error.code, 'unauthorized');
  assert.equal(error.details?.status, 401);
  assert.match(error.message, /Token is invalid, expired, or not supported for this endpoint/);
});

test('401: the username in place of the email is unauthorized, with the hint', async (t) => {
  const { make } = await setup(t);
  const error = await rejection(make(BOT.username, BOT.token).getCurrentUser());
  assert.equal(error.code, 'unauthorized');
  assert.match(error.message, /Atlassian account email, not the username/);
});

test('403: a missing scope is missing_scope with required and granted', async (t) => {
  const { make } = await setup(t);
  const error = await rejection(make('reader@example.com', 'ATATT3xReader').createBranch(repo, 'x', 'abc'));
  assert.equal(error.code, 'missing_scope');
  assert.deepEqual(error.details?.required, ['write:repository:bitbucket']);
  assert.deepEqual(error.details?.granted, ['read:repository:bitbucket']);
  assert.match(error.message, /write:repository:bitbucket \(granted: read:repository:bitbucket\)/);
});

test('404: a repository the user cannot see is not_found', async (t) => {
  const { client } = await setup(t);
  const error = await rejection(client.getRepository({ workspace: 'globex', repo: 'secret' }));
  assert.equal(error.code, 'not_found');
  assert.match(error.message, /You may not have access to this repository/);
});

test('409: a commit on a stale parent is conflict', async (t) => {
  const { client, commit } = await setup(t);
  await client.commitFiles({ repo, branch: 'remediate/x', parent: commit, message: 'one', files: [{ path: 'a', content: '1' }] });
  const error = await rejection(client.commitFiles({ repo, branch: 'remediate/x', parent: commit, message: 'two', files: [{ path: 'a', content: '2' }] }));
  assert.equal(error.code, 'conflict');
  assert.equal(error.details?.status, 409);
});

test('429 with Retry-After: rate_limited carrying retryAfterSeconds once retries are spent', async (t) => {
  const { client, admin, emulator } = await setup(t, { maxAttempts: 2 });
  await admin.setFaults({ rate429: 1, match: '/refs/branches/main' });
  const error = await rejection(client.getBranch(repo, 'main'));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.details?.retryAfterSeconds, 1);
  assert.match(error.message, /Rate limit for this resource has been exceeded/);
  assert.equal(emulator.requestLog().length, 2);
});

test('429 without Retry-After: Bitbucket\'s hourly limit, plain text, backed off then rate_limited', async (t) => {
  const { client, admin, emulator } = await setup(t, { maxAttempts: 3 });
  await admin.setRateLimit(2);
  await client.getRepository(repo);
  await client.getBranch(repo, 'main');
  const error = await rejection(client.getRepository(repo));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.details?.retryAfterSeconds, undefined);
  assert.equal(error.details?.bitbucketMessage, 'Rate limit for this resource has been exceeded');
  assert.deepEqual(emulator.requestLog().map((entry) => entry.status), [200, 200, 429, 429, 429]);
  assert.equal((await client.getCurrentUser()).username, 'remediate-bot', '/2.0/user is outside the repository limit');
});

test('5xx: server_error once retries are spent', async (t) => {
  const { client, admin } = await setup(t, { maxAttempts: 2 });
  await admin.setFaults({ rate5xx: 1, match: 'GET /2.0/repositories/acme/api' });
  const error = await rejection(client.getRepository(repo));
  assert.equal(error.code, 'server_error');
  assert.equal(error.details?.status, 500);
  assert.match(error.message, /Something went wrong/);
});

test('410: a removed endpoint keeps Bitbucket\'s CHANGE-2770 message', async (t) => {
  const { baseUrl } = await setup(t);
  // The client offers no operation on removed endpoints; its transport shows how one would fail.
  const http = new BitbucketTransport({ baseUrl, fetch: nodeFetch, credentials: { email: BOT.email, apiToken: BOT.token }, sleep: async () => {} });
  const error = await rejection(http.json(http.url(apiPath('get', '/repositories', {})), pageSchema));
  assert.equal(error.code, 'not_found');
  assert.equal(error.details?.status, 410);
  assert.match(error.message, /CHANGE-2770 - Functionality has been deprecated/);
});

test('400: a declined pull request cannot be updated (reopened) or declined again', async (t) => {
  const { client, commit } = await setup(t);
  await client.commitFiles({ repo, branch: 'remediate/d', parent: commit, message: 'fix', files: [{ path: 'a', content: '1' }] });
  const pr = await client.createPullRequest({ repo, title: 'Fix', description: 'd', sourceBranch: 'remediate/d', destinationBranch: 'main' });
  assert.equal((await client.declinePullRequest(repo, pr.id)).state, 'DECLINED');
  const update = await rejection(client.updatePullRequest(repo, pr.id, { title: 'Reopen?' }));
  assert.equal(update.code, 'bad_request');
  assert.match(update.message, /Only open pull requests can be mutated/);
  const again = await rejection(client.declinePullRequest(repo, pr.id));
  assert.equal(again.code, 'bad_request');
  assert.equal((await client.getPullRequest(repo, pr.id)).state, 'DECLINED');
});

test('budget: a request past the per-minute budget is not sent; rate_limited says which budget and when', async (t) => {
  const { client, emulator } = await setup(t, { limits: { perMinute: 3 } });
  assert.equal(client.canAfford(3), true);
  await client.getCurrentUser();
  await client.getRepository(repo);
  assert.equal(client.canAfford(2), false);
  await client.getBranch(repo, 'main');
  const error = await rejection(client.getRepository(repo));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.details?.budget, 'minute');
  assert.ok(typeof error.details?.retryAfterSeconds === 'number' && error.details.retryAfterSeconds <= 60);
  assert.equal(emulator.requestLog().length, 3, 'the fourth request never left');
});

test('budget: the hourly budget counts only repository requests', async (t) => {
  const { client } = await setup(t, { limits: { perHour: 1 } });
  await client.getRepository(repo);
  await client.getCurrentUser();
  const error = await rejection(client.getBranch(repo, 'main'));
  assert.equal(error.details?.budget, 'hour');
  assert.deepEqual({ ...client.budget(), made: 0 }, { made: 0, remainingThisMinute: 98, remainingThisHour: 0 });
});
