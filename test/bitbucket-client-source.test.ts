import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { AppError } from '../src/domain/errors';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const repo = { workspace: 'acme', repo: 'api' };

async function setup(t: TestContext, files: Record<string, string | { content: string; executable: boolean }>) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ ...BOT, displayName: 'Remediate Bot', scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files });
  const client = createBitbucketClient({
    baseUrl: running.baseUrl,
    fetch: nodeFetch,
    credentials: { email: BOT.email, apiToken: BOT.token },
    sleep: async () => {},
  });
  running.emulator.clearRequestLog();
  return { ...running, client, base: commit };
}

const BASE_FILES = {
  'README.md': '# api\n',
  'src/app.js': 'const a = 1;\nconst b = 2;\n',
  'scripts/deploy.sh': { content: '#!/bin/sh\necho deploy\n', executable: true },
  'docs/old.md': 'old\n',
};

test('listFiles follows next across pages and into directories below the depth asked', async (t) => {
  const files: Record<string, string> = { 'README.md': 'x' };
  for (let i = 0; i < 150; i += 1) files[`src/generated/file${String(i).padStart(3, '0')}.ts`] = `export const n = ${i};\n`;
  files['a/b/c/d/e/f/g/deep.txt'] = 'deep';
  const { client, base, emulator } = await setup(t, files);
  const listed = await client.listFiles(repo, base);
  assert.equal(listed.length, 152);
  assert.deepEqual(listed, Object.keys(files).sort());
  const paths = emulator.requestLog().map((entry) => entry.path);
  assert.ok(paths.some((path) => /[?&]page=2\b/.test(path)), 'a second page was requested through next');
  assert.ok(paths.some((path) => path.includes('/src/') && path.includes('/a/b/c/d/e/')), 'the deep directory was listed on its own');
});

test('readFile and getFileMeta read content and attributes; missing files are undefined', async (t) => {
  const { client, base } = await setup(t, BASE_FILES);
  assert.equal(await client.readFile(repo, base, 'src/app.js'), 'const a = 1;\nconst b = 2;\n');
  assert.equal(await client.readFile(repo, base, 'src/missing.js'), undefined);
  assert.deepEqual(await client.getFileMeta(repo, base, 'scripts/deploy.sh'), {
    path: 'scripts/deploy.sh',
    size: 22,
    attributes: ['executable'],
  });
  assert.deepEqual((await client.getFileMeta(repo, base, 'README.md'))?.attributes, []);
  assert.equal(await client.getFileMeta(repo, base, 'nope.txt'), undefined);
});

test('commitFiles creates a branch from parents with one multi-file commit: change, add, executable, deletion', async (t) => {
  const { client, base, emulator } = await setup(t, BASE_FILES);
  const tip = await client.commitFiles({
    repo,
    branch: 'remediate/fix-1',
    parent: base,
    message: 'fix: harden app.js',
    author: 'Remediate Bot <bot@example.com>',
    files: [
      { path: 'src/app.js', content: 'const a = 1;\nconst b = 3;\n' },
      { path: 'scripts/deploy.sh', content: '#!/bin/sh\necho deploy safely\n', executable: true },
      { path: 'src/ünïcode "quoted".txt', content: 'héllo\n' },
    ],
    deletions: ['docs/old.md'],
  });
  assert.equal(tip.name, 'remediate/fix-1');
  assert.match(tip.hash, /^[0-9a-f]{40}$/);
  assert.equal((await client.getBranch(repo, 'remediate/fix-1'))?.hash, tip.hash);
  assert.equal((await client.getBranch(repo, 'main'))?.hash, base, 'main is untouched');

  const commit = emulator.repository('acme', 'api')?.commits[tip.hash];
  assert.deepEqual(commit?.parents, [base]);
  assert.equal(commit?.message, 'fix: harden app.js');
  assert.equal(commit?.author, 'Remediate Bot <bot@example.com>');
  assert.equal(await client.readFile(repo, tip.hash, 'src/app.js'), 'const a = 1;\nconst b = 3;\n');
  assert.equal(await client.readFile(repo, tip.hash, 'src/ünïcode "quoted".txt'), 'héllo\n');
  assert.deepEqual((await client.getFileMeta(repo, tip.hash, 'scripts/deploy.sh'))?.attributes, ['executable']);
  assert.equal(await client.readFile(repo, tip.hash, 'docs/old.md'), undefined);
  assert.equal(await client.readFile(repo, tip.hash, 'README.md'), '# api\n', 'untouched files carry over');
  const posts = emulator.requestLog().filter((entry) => entry.method === 'POST');
  assert.equal(posts.length, 1);
});

test('a second commit on the tip works; a stale parent is a conflict and changes nothing', async (t) => {
  const { client, base, emulator } = await setup(t, BASE_FILES);
  const request = { repo, branch: 'remediate/fix-2', message: 'one', files: [{ path: 'a.txt', content: '1' }] };
  const first = await client.commitFiles({ ...request, parent: base });
  const second = await client.commitFiles({ ...request, parent: first.hash, message: 'two', files: [{ path: 'a.txt', content: '2' }] });
  assert.notEqual(second.hash, first.hash);
  assert.deepEqual(emulator.repository('acme', 'api')?.commits[second.hash]?.parents, [first.hash]);

  await assert.rejects(
    client.commitFiles({ ...request, parent: first.hash, message: 'three' }),
    (error: unknown) => error instanceof AppError && error.code === 'conflict' && error.details?.status === 409,
  );
  assert.equal((await client.getBranch(repo, 'remediate/fix-2'))?.hash, second.hash);
});

test('a file may not be both changed and deleted in one commit', async (t) => {
  const { client, base, emulator } = await setup(t, BASE_FILES);
  await assert.rejects(
    client.commitFiles({ repo, branch: 'x', parent: base, message: 'm', files: [{ path: 'a', content: '' }], deletions: ['/a'] }),
    (error: unknown) => error instanceof AppError && error.code === 'bad_request',
  );
  assert.equal(emulator.requestLog().length, 0, 'nothing was sent');
});

test('branches with slashes: create, get, delete; duplicates and main are refused', async (t) => {
  const { client, base, emulator } = await setup(t, BASE_FILES);
  const name = 'remediate/deep/branch#1';
  assert.equal(await client.getBranch(repo, name), undefined);
  assert.deepEqual(await client.createBranch(repo, name, base), { name, hash: base });
  assert.deepEqual(await client.getBranch(repo, name), { name, hash: base });
  assert.ok(emulator.requestLog().some((entry) => entry.path.includes('/refs/branches/remediate/deep/branch%231')));
  await assert.rejects(client.createBranch(repo, name, base), (error: unknown) => error instanceof AppError && error.code === 'bad_request');
  await client.deleteBranch(repo, name);
  assert.equal(await client.getBranch(repo, name), undefined);
  await assert.rejects(client.deleteBranch(repo, name), (error: unknown) => error instanceof AppError && error.code === 'not_found');
  await assert.rejects(client.deleteBranch(repo, 'main'), (error: unknown) => error instanceof AppError && error.code === 'bad_request');
});

test('diffstat of a commit against its parent and between two commits', async (t) => {
  const { client, base } = await setup(t, BASE_FILES);
  const tip = await client.commitFiles({
    repo,
    branch: 'remediate/diff',
    parent: base,
    message: 'm',
    files: [
      { path: 'src/app.js', content: 'const a = 1;\nconst b = 3;\nconst c = 4;\n' },
      { path: 'new.txt', content: 'n\n' },
    ],
    deletions: ['docs/old.md'],
  });
  const stats = await client.diffstat(repo, tip.hash);
  assert.deepEqual(stats, [
    { status: 'removed', linesAdded: 0, linesRemoved: 1, oldPath: 'docs/old.md' },
    { status: 'added', linesAdded: 1, linesRemoved: 0, newPath: 'new.txt' },
    { status: 'modified', linesAdded: 2, linesRemoved: 1, oldPath: 'src/app.js', newPath: 'src/app.js' },
  ]);
  assert.deepEqual(await client.diffstat(repo, `${tip.hash}..${tip.hash}`), []);
  assert.equal((await client.diffstat(repo, `${tip.hash}..${base}`)).length, 3);
});
