import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

const BOT = { username: 'remediate-bot', email: 'bot@example.com', token: 'ATATT3xBotToken0123456789' };
const auth = { authorization: `Basic ${Buffer.from(`${BOT.email}:${BOT.token}`).toString('base64')}` };

test('removed cross-workspace endpoints answer 410 with the CHANGE-2770 body', async (t) => {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  await emulatorAdmin(running.baseUrl).addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  for (const path of ['/2.0/repositories', '/2.0/repositories/', '/2.0/workspaces', '/2.0/user/permissions/repositories?q=x']) {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: auth });
    assert.equal(response.status, 410, path);
    assert.deepEqual(await response.json(), {
      type: 'error',
      error: {
        message: 'CHANGE-2770 - Functionality has been deprecated',
        detail: 'Please read the changelog entry for more details.',
        data: { announcement_url: 'https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-2770' },
      },
    });
  }
  assert.equal((await fetch(`${running.baseUrl}/2.0/workspaces`, { headers: { authorization: 'Basic eDp5' } })).status, 401);
});

test('the hourly per-user limit on /2.0/repositories/* answers a plain-text 429 and rolls', async (t) => {
  let now = 1_000_000;
  const running = await startEmulatorServer({ rateLimitPerHour: 2, now: () => now });
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  await admin.addUser({ username: 'other', email: 'o@example.com', token: 'o', scopes: ALL_APP_SCOPES, workspaces: { acme: 'member' } });
  await admin.addRepository('acme', 'api', { files: { a: '1' } });
  const get = (headers: Record<string, string>, path = '/2.0/repositories/acme/api') => fetch(`${running.baseUrl}${path}`, { headers });
  assert.equal((await get(auth)).status, 200);
  now += 1000;
  assert.equal((await get(auth)).status, 200);
  const limited = await get(auth);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('content-type'), 'text/plain');
  assert.equal(limited.headers.get('retry-after'), null);
  assert.equal(await limited.text(), 'Rate limit for this resource has been exceeded');
  assert.equal((await get(auth, '/2.0/user')).status, 200, 'other resources are not limited');
  const other = { authorization: `Basic ${Buffer.from('o@example.com:o').toString('base64')}` };
  assert.equal((await get(other)).status, 200, 'counted per user');
  now += 3_600_000 - 500;
  assert.equal((await get(auth)).status, 200, 'the first request left the rolling hour');
  assert.equal((await get(auth)).status, 429);
  await admin.setRateLimit(5);
  assert.equal((await get(auth)).status, 200, 'the admin route sets the limit and resets counts');
});

test('state persists in the state file and a restarted emulator serves it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-emulator-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateFile = join(dir, 'bitbucket.json');
  const first = await startEmulatorServer({ stateFile });
  const admin = emulatorAdmin(first.baseUrl);
  await admin.addUser({ ...BOT, scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'a.js': 'x\n' } });
  const created = await fetch(`${first.baseUrl}/2.0/repositories/acme/api/refs/branches`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'feature', target: { hash: commit } }),
  });
  assert.equal(created.status, 201);
  await first.close();

  const second = await startEmulatorServer({ stateFile });
  t.after(() => second.close());
  const branch = await fetch(`${second.baseUrl}/2.0/repositories/acme/api/refs/branches/feature`, { headers: auth });
  assert.equal(branch.status, 200);
  assert.equal(((await branch.json()) as { target: { hash: string } }).target.hash, commit);
  const raw = await fetch(`${second.baseUrl}/2.0/repositories/acme/api/src/feature/a.js`, { headers: auth });
  assert.equal(await raw.text(), 'x\n');
});
