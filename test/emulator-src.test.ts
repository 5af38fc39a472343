import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

/** `POST /src` branch/parents rules (bitbucket-api.md §2.4), driven with raw form bodies. */

const AUTH = `Basic ${Buffer.from('bot@example.com:ATATT3xBot').toString('base64')}`;

async function setup(t: TestContext) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ username: 'bot', email: 'bot@example.com', token: 'ATATT3xBot', displayName: 'Bot', scopes: ALL_APP_SCOPES, workspaces: { acme: 'member' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'README.md': 'hello\n', 'old.txt': 'old\n' } });
  const repo = () => {
    const record = running.emulator.repository('acme', 'api');
    assert.ok(record);
    return record;
  };
  const post = (fields: [string, string][], query = '') =>
    fetch(`${running.baseUrl}/2.0/repositories/acme/api/src${query}`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const tip = (branch: string) => repo().branches[branch];
  const file = (hash: string | undefined, path: string) => {
    const entry = repo().commits[hash ?? '']?.tree[path];
    return entry === undefined ? undefined : repo().blobs[entry.blob];
  };
  return { ...running, base: commit, repo, post, tip, file };
}

test('rule 4: a missing branch with parents is created on the parent; main is untouched', async (t) => {
  const { post, base, tip, file, repo } = await setup(t);
  const response = await post([['/src/new.txt', 'new\n'], ['files', 'old.txt'], ['message', 'fix'], ['branch', 'fix/a'], ['parents', base]]);
  assert.equal(response.status, 201);
  assert.equal(await response.text(), '');
  assert.equal(tip('main'), base);
  const head = tip('fix/a');
  assert.deepEqual(repo().commits[head ?? '']?.parents, [base]);
  assert.equal(file(head, 'src/new.txt'), 'new\n');
  assert.equal(file(head, 'old.txt'), undefined, 'a files entry without a part deletes');
  assert.equal(file(head, 'README.md'), 'hello\n');
  assert.equal(repo().commits[head ?? '']?.author, 'Bot <bot@example.com>', 'author defaults to the caller');
});

test('rule 1: an existing branch with parents other than its tip is a 409', async (t) => {
  const { post, base, tip } = await setup(t);
  assert.equal((await post([['/a', '1'], ['branch', 'fix/b'], ['parents', base]])).status, 201);
  const head = tip('fix/b');
  const stale = await post([['/a', '2'], ['branch', 'fix/b'], ['parents', base]]);
  assert.equal(stale.status, 409);
  assert.equal(tip('fix/b'), head);
  assert.equal((await post([['/a', '2'], ['branch', 'fix/b'], ['parents', head ?? '']])).status, 201);
});

test('rule 2: an existing branch without parents takes the commit on its tip', async (t) => {
  const { post, base, tip, repo } = await setup(t);
  await post([['/a', '1'], ['branch', 'fix/c'], ['parents', base]]);
  const head = tip('fix/c');
  assert.equal((await post([['/a', '2'], ['branch', 'fix/c']])).status, 201);
  assert.deepEqual(repo().commits[tip('fix/c') ?? '']?.parents, [head]);
});

test('rule 3: a missing branch without parents starts from main and leaves main alone', async (t) => {
  const { post, base, tip, repo } = await setup(t);
  assert.equal((await post([['/a', '1'], ['branch', 'fix/d']])).status, 201);
  assert.deepEqual(repo().commits[tip('fix/d') ?? '']?.parents, [base]);
  assert.equal(tip('main'), base);
});

test('rules 5 and 6: without a branch the commit lands on main, guarded by parents', async (t) => {
  const { post, base, tip } = await setup(t);
  assert.equal((await post([['/a', '1'], ['parents', base]])).status, 201);
  const advanced = tip('main');
  assert.notEqual(advanced, base);
  assert.equal((await post([['/a', '2'], ['parents', base]])).status, 409, 'parents must be the main tip');
  assert.equal(tip('main'), advanced);
  assert.equal((await post([['/a', '3']])).status, 201);
  assert.notEqual(tip('main'), advanced);
});

test('bad requests: unknown parent, two parents, malformed author, bad path', async (t) => {
  const { post, base } = await setup(t);
  const unknown = await post([['/a', '1'], ['branch', 'x'], ['parents', 'f'.repeat(40)]]);
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /commit not found/);
  assert.equal((await post([['/a', '1'], ['branch', 'x'], ['parents', base], ['parents', base]])).status, 400);
  assert.equal((await post([['/a', '1'], ['branch', 'x'], ['author', 'no email']])).status, 400);
  assert.equal((await post([['/../etc/passwd', '1'], ['branch', 'x']])).status, 400);
  assert.equal((await post([['/a', '1']], '?branch=fix/from-query')).status, 201, 'meta fields may come as query parameters');
});

test('multipart: a part with a filename is a file; x-attributes executable in either spelling', async (t) => {
  const { baseUrl, base, tip, repo } = await setup(t);
  const boundary = 'XyZ';
  const part = (disposition: string, content: string) => `--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n${content}\r\n`;
  const body =
    part('form-data; name="bin/a.sh"; filename="a.sh"; x-attributes:"executable"', '#!/bin/sh\n') +
    part('form-data; name="/bin/b.sh"; filename="b.sh"; x-attributes="executable"', '#!/bin/sh\n') +
    part('form-data; name="message"; filename="message"', 'I am a file called message') +
    part('form-data; name="message"', 'the commit message') +
    part('form-data; name="branch"', 'fix/multipart') +
    part('form-data; name="parents"', base) +
    `--${boundary}--\r\n`;
  const response = await fetch(`${baseUrl}/2.0/repositories/acme/api/src`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  assert.equal(response.status, 201);
  const commit = repo().commits[tip('fix/multipart') ?? ''];
  assert.equal(commit?.message, 'the commit message');
  assert.equal(commit?.tree['bin/a.sh']?.executable, true);
  assert.equal(commit?.tree['bin/b.sh']?.executable, true);
  assert.equal(commit?.tree['message']?.executable, false);
  assert.equal(repo().blobs[commit?.tree['message']?.blob ?? ''], 'I am a file called message');
});

test('src GET: raw file, meta, paginated directory listing, ref by branch or short hash', async (t) => {
  const { baseUrl, base } = await setup(t);
  const get = (path: string) => fetch(`${baseUrl}/2.0/repositories/acme/api/src/${path}`, { headers: { authorization: AUTH } });
  assert.equal(await (await get(`${base}/README.md`)).text(), 'hello\n');
  assert.equal(await (await get('main/README.md')).text(), 'hello\n');
  assert.equal(await (await get(`${base.slice(0, 7)}/README.md`)).text(), 'hello\n');
  const meta = (await (await get(`${base}/README.md?format=meta`)).json()) as Record<string, unknown>;
  assert.deepEqual({ type: meta.type, path: meta.path, size: meta.size, attributes: meta.attributes }, {
    type: 'commit_file',
    path: 'README.md',
    size: 6,
    attributes: [],
  });
  const listing = (await (await get(`${base}/?pagelen=1`)).json()) as { values: { path: string }[]; next?: string; size: number };
  assert.equal(listing.values.length, 1);
  assert.equal(listing.size, 2);
  assert.ok(listing.next?.startsWith(`${baseUrl}/2.0/repositories/acme/api/src/${base}/?`));
  assert.equal((await get(`${base}/nope.txt`)).status, 404);
  assert.equal((await get(`${'0'.repeat(40)}/README.md`)).status, 404);
});
