import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { AppError } from '../src/domain/errors';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const repo = { workspace: 'acme', repo: 'api' };

async function setup(t: TestContext) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  const bot = await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const reviewer = await admin.addUser({ username: 'rita', email: 'rita@example.com', token: 't', scopes: [], workspaces: { acme: 'member' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'app.js': 'let x = eval(input);\n' } });
  const client = createBitbucketClient({
    baseUrl: running.baseUrl,
    fetch: nodeFetch,
    credentials: { email: BOT.email, apiToken: BOT.token },
    sleep: async () => {},
    // One test makes 55 PRs (220 requests) within a minute: more than one Forge invocation may.
    limits: { perMinute: 1000 },
  });
  const branch = (name: string) =>
    client.commitFiles({ repo, branch: name, parent: commit, message: `fix on ${name}`, files: [{ path: 'app.js', content: `// ${name}\n` }] });
  return { ...running, admin, client, bot, reviewer, branch, mainCommit: commit };
}

const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

test('createPullRequest maps the pull request; a second open one for the same branches is refused', async (t) => {
  const { client, branch, bot, baseUrl, mainCommit } = await setup(t);
  const tip = await branch('remediate/eval');
  const pr = await client.createPullRequest({
    repo,
    title: 'Remove eval',
    description: '## Why\nUntrusted input reaches eval.',
    sourceBranch: 'remediate/eval',
    destinationBranch: 'main',
    closeSourceBranch: true,
  });
  assert.deepEqual(pr, {
    id: 1,
    title: 'Remove eval',
    description: '## Why\nUntrusted input reaches eval.',
    state: 'OPEN',
    sourceBranch: 'remediate/eval',
    sourceCommit: tip.hash,
    sourceRepository: 'acme/api',
    destinationBranch: 'main',
    destinationCommit: mainCommit,
    destinationRepository: 'acme/api',
    htmlUrl: `${baseUrl}/acme/api/pull-requests/1`,
    authorUuid: bot.uuid,
    reviewers: [],
  });
  await assert.rejects(
    client.createPullRequest({ repo, title: 'again', description: '', sourceBranch: 'remediate/eval', destinationBranch: 'main' }),
    (error: unknown) => isCode('bad_request')(error) && /already an open pull request/.test((error as Error).message),
  );
  await assert.rejects(
    client.createPullRequest({ repo, title: 'ghost', description: '', sourceBranch: 'no/such-branch', destinationBranch: 'main' }),
    isCode('bad_request'),
  );
});

test('listPullRequests filters by source branch and state (OPEN by default)', async (t) => {
  const { client, branch } = await setup(t);
  await branch('remediate/a');
  await branch('remediate/b');
  const a = await client.createPullRequest({ repo, title: 'A', description: 'a', sourceBranch: 'remediate/a', destinationBranch: 'main' });
  const b = await client.createPullRequest({ repo, title: 'B', description: 'b', sourceBranch: 'remediate/b', destinationBranch: 'main' });
  assert.deepEqual((await client.listPullRequests(repo, { sourceBranch: 'remediate/a' })).map((pr) => pr.id), [a.id]);
  await client.declinePullRequest(repo, b.id);
  assert.deepEqual((await client.listPullRequests(repo, {})).map((pr) => pr.id), [a.id]);
  assert.deepEqual((await client.listPullRequests(repo, { sourceBranch: 'remediate/b' })).map((pr) => pr.id), []);
  const declined = await client.listPullRequests(repo, { sourceBranch: 'remediate/b', states: ['DECLINED', 'MERGED'] });
  assert.deepEqual(declined.map((pr) => [pr.id, pr.state]), [[b.id, 'DECLINED']]);
  const all = await client.listPullRequests(repo, { states: ['OPEN', 'DECLINED'] });
  assert.deepEqual(all.map((pr) => pr.id).sort(), [a.id, b.id]);
});

test('listPullRequests follows next past one page of 50', async (t) => {
  const { client, branch, emulator } = await setup(t);
  for (let i = 0; i < 55; i += 1) {
    await branch(`remediate/many-${i}`);
    await client.createPullRequest({ repo, title: `PR ${i}`, description: '', sourceBranch: `remediate/many-${i}`, destinationBranch: 'main' });
  }
  emulator.clearRequestLog();
  const prs = await client.listPullRequests(repo, {});
  assert.equal(prs.length, 55);
  assert.equal(new Set(prs.map((pr) => pr.id)).size, 55);
  assert.equal(emulator.requestLog().length, 2);
});

test('updatePullRequest changes title and description and keeps the reviewers', async (t) => {
  const { client, branch, emulator, reviewer, baseUrl } = await setup(t);
  await branch('remediate/r');
  const pr = await client.createPullRequest({ repo, title: 'Old', description: 'old', sourceBranch: 'remediate/r', destinationBranch: 'main' });
  const record = emulator.repository('acme', 'api')?.pullRequests.find((candidate) => candidate.id === pr.id);
  assert.ok(record);
  record.reviewers = [{ uuid: reviewer.uuid }];

  const updated = await client.updatePullRequest(repo, pr.id, { description: 'new body' });
  assert.equal(updated.title, 'Old');
  assert.equal(updated.description, 'new body');
  assert.deepEqual(updated.reviewers, [{ uuid: reviewer.uuid }]);
  assert.deepEqual(record.reviewers, [{ uuid: reviewer.uuid }]);
  const methods = emulator.requestLog().slice(-2).map((entry) => entry.method);
  assert.deepEqual(methods, ['GET', 'PUT'], 'read first, then update');

  // What the client guards against: a PUT without reviewers clears them.
  const auth = `Basic ${Buffer.from(`${BOT.email}:${BOT.token}`).toString('base64')}`;
  const raw = await fetch(`${baseUrl}/2.0/repositories/acme/api/pullrequests/${pr.id}`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Raw' }),
  });
  assert.equal(raw.status, 200);
  assert.deepEqual(record.reviewers, []);
});

test('declinePullRequest declines; a declined pull request cannot be updated', async (t) => {
  const { client, branch } = await setup(t);
  await branch('remediate/d');
  const pr = await client.createPullRequest({ repo, title: 'D', description: '', sourceBranch: 'remediate/d', destinationBranch: 'main' });
  const declined = await client.declinePullRequest(repo, pr.id);
  assert.equal(declined.state, 'DECLINED');
  assert.equal((await client.getPullRequest(repo, pr.id)).state, 'DECLINED');
  await assert.rejects(client.updatePullRequest(repo, pr.id, { title: 'x' }), isCode('bad_request'));
  await assert.rejects(client.getPullRequest(repo, 999), isCode('not_found'));
});

test('commentOnPullRequest posts markdown', async (t) => {
  const { client, branch, emulator, bot } = await setup(t);
  await branch('remediate/c');
  const pr = await client.createPullRequest({ repo, title: 'C', description: '', sourceBranch: 'remediate/c', destinationBranch: 'main' });
  await client.commentOnPullRequest(repo, pr.id, 'Re-verified: **still fixed**');
  const comments = emulator.repository('acme', 'api')?.pullRequests[0]?.comments;
  assert.deepEqual(comments?.map((comment) => [comment.raw, comment.authorUuid]), [['Re-verified: **still fixed**', bot.uuid]]);
});

test('an admin merge lands the source on main and closes the source branch', async (t) => {
  const { client, branch, admin } = await setup(t);
  await branch('remediate/m');
  const pr = await client.createPullRequest({ repo, title: 'M', description: '', sourceBranch: 'remediate/m', destinationBranch: 'main', closeSourceBranch: true });
  await admin.mergePullRequest('acme', 'api', pr.id);
  assert.equal((await client.getPullRequest(repo, pr.id)).state, 'MERGED');
  const main = await client.getBranch(repo, 'main');
  assert.ok(main);
  assert.equal(await client.readFile(repo, main.hash, 'app.js'), '// remediate/m\n');
  assert.equal(await client.getBranch(repo, 'remediate/m'), undefined);
});
