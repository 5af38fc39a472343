import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import type { HttpFetch, LogFields } from '../src/ports';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';
import { rejection } from './support/rejection';

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const READER = { username: 'reader', email: 'reader@example.com', token: 'ATATT3xReaderToken98765' };

async function setup(t: TestContext) {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  const bot = await admin.addUser({ ...BOT, displayName: 'Remediate Bot', scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const reader = await admin.addUser({ ...READER, scopes: ['read:repository:bitbucket'], workspaces: { acme: 'member' } });
  await admin.addUser({ username: 'alice', email: 'alice@globex.test', token: 'alice-token', scopes: ALL_APP_SCOPES, workspaces: { globex: 'owner' } });
  await admin.addRepository('acme', 'api', { files: { 'README.md': '# api\n' } });
  await admin.addRepository('globex', 'secret', { files: { 'README.md': '# secret\n' } });
  const clientFor = (email: string, apiToken: string) =>
    createBitbucketClient({ baseUrl: running.baseUrl, fetch: nodeFetch, credentials: { email, apiToken }, sleep: async () => {} });
  return { ...running, admin, bot, reader, clientFor };
}

const basic = (email: string, token: string) => Buffer.from(`${email}:${token}`).toString('base64');

test('getCurrentUser maps the identity and the granted scopes header', async (t) => {
  const { clientFor, bot } = await setup(t);
  const user = await clientFor(BOT.email, BOT.token).getCurrentUser();
  assert.deepEqual(user, {
    uuid: bot.uuid,
    accountId: bot.account_id,
    username: 'remediate-bot',
    displayName: 'Remediate Bot',
    grantedScopes: ALL_APP_SCOPES,
  });
});

test('a wrong token is 401 unauthorized; the message explains email vs username and never holds the token', async (t) => {
  const { clientFor } = await setup(t);
  const error = await rejection(clientFor(BOT.email, 'ATATT3xWrongToken').getCurrentUser());
  assert.equal(error.code, 'unauthorized');
  assert.match(error.message, /Atlassian account email, not the username/);
  assert.match(error.message, /Token is invalid, expired, or not supported/);
  assert.ok(!JSON.stringify({ message: error.message, details: error.details }).includes('ATATT3xWrongToken'));
});

test('the username in place of the email is rejected like a bad token', async (t) => {
  const { clientFor, emulator } = await setup(t);
  const error = await rejection(clientFor(BOT.username, BOT.token).getRepository({ workspace: 'acme', repo: 'api' }));
  assert.equal(error.code, 'unauthorized');
  assert.equal(error.details?.status, 401);
  const serialized = JSON.stringify({ message: error.message, details: error.details, stack: error.stack });
  assert.ok(!serialized.includes(BOT.token));
  assert.ok(!serialized.includes(basic(BOT.username, BOT.token)));
  assert.deepEqual(emulator.requestLog().map((entry) => entry.status), [401]);
});

test('a token echoed back by the server is redacted from messages and logs', async () => {
  const token = 'ATATT3xEchoedSecret42';
  const logged: LogFields[] = [];
  const echo: HttpFetch = async (_url, init) => ({
    status: 503,
    headers: { get: () => null },
    text: async () => JSON.stringify({ type: 'error', error: { message: `bad ${token} / ${init?.headers?.Authorization}` } }),
  });
  const client = createBitbucketClient({
    baseUrl: 'https://api.bitbucket.test',
    fetch: echo,
    credentials: { email: 'bot@example.com', apiToken: token },
    sleep: async () => {},
    logger: { info: () => {}, warn: (_m, fields) => logged.push(fields ?? {}), error: () => {} },
  });
  const error = await rejection(client.getCurrentUser());
  assert.equal(error.code, 'server_error');
  assert.match(error.message, /\[redacted\]/);
  const everything = JSON.stringify({ message: error.message, details: error.details, logged });
  assert.ok(!everything.includes(token));
  assert.ok(!everything.includes(basic('bot@example.com', token)));
  assert.equal(logged.length, 3, 'three retries were logged');
});

test('a missing scope is missing_scope with the required and granted scopes', async (t) => {
  const { clientFor } = await setup(t);
  const error = await rejection(clientFor(READER.email, READER.token).listUserWorkspaces());
  assert.equal(error.code, 'missing_scope');
  assert.deepEqual(error.details?.required, ['read:workspace:bitbucket']);
  assert.deepEqual(error.details?.granted, ['read:repository:bitbucket']);
  assert.match(error.message, /read:workspace:bitbucket/);
});

test('a repository in a workspace the user is not a member of is not_found', async (t) => {
  const { clientFor } = await setup(t);
  const client = clientFor(BOT.email, BOT.token);
  const error = await rejection(client.getRepository({ workspace: 'globex', repo: 'secret' }));
  assert.equal(error.code, 'not_found');
  assert.match(error.message, /You may not have access to this repository/);
  assert.equal(await client.getBranch({ workspace: 'globex', repo: 'secret' }, 'main'), undefined);
});

test('getRepository maps the repository, by slug or by uuid', async (t) => {
  const { clientFor, emulator, baseUrl } = await setup(t);
  const client = clientFor(BOT.email, BOT.token);
  const repo = await client.getRepository({ workspace: 'acme', repo: 'api' });
  const workspaceUuid = emulator.state.workspaces.find((workspace) => workspace.slug === 'acme')?.uuid;
  assert.deepEqual(repo, {
    uuid: emulator.repository('acme', 'api')?.uuid,
    slug: 'api',
    fullName: 'acme/api',
    workspace: { slug: 'acme', uuid: workspaceUuid },
    mainBranch: 'main',
    isPrivate: true,
    htmlUrl: `${baseUrl}/acme/api`,
  });
  assert.ok(workspaceUuid);
  const byUuid = await client.getRepository({ workspace: workspaceUuid, repo: repo.uuid });
  assert.equal(byUuid.fullName, 'acme/api');
});

test('workspaces and workspace permissions', async (t) => {
  const { clientFor, bot, reader } = await setup(t);
  const client = clientFor(BOT.email, BOT.token);
  const workspaces = await client.listUserWorkspaces();
  assert.deepEqual(
    workspaces.map(({ slug, administrator }) => ({ slug, administrator })),
    [{ slug: 'acme', administrator: true }],
  );
  assert.equal(await client.getWorkspacePermission('acme', bot.account_id), 'owner');
  assert.equal(await client.getWorkspacePermission('acme', reader.account_id), 'member');
  assert.equal(await client.getWorkspacePermission('acme', '712020:nobody'), undefined);
});

test('the app identity (Bearer app token) may read workspace permissions but not repositories', async (t) => {
  const { baseUrl, bot } = await setup(t);
  const headers = { authorization: 'Bearer local-forge-app' };
  const q = encodeURIComponent(`user.account_id="${bot.account_id}"`);
  const permissions = await fetch(`${baseUrl}/2.0/workspaces/acme/permissions?q=${q}`, { headers });
  assert.equal(permissions.status, 200);
  const body = (await permissions.json()) as { values: { permission: string }[] };
  assert.deepEqual(body.values.map((value) => value.permission), ['owner']);
  assert.equal((await fetch(`${baseUrl}/2.0/repositories/acme/api`, { headers })).status, 403);
  assert.equal((await fetch(`${baseUrl}/2.0/workspaces/acme`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
});
