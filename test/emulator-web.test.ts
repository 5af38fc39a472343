/** The emulator's HTML stand-ins for the bitbucket.org pages its API links to. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { ALL_APP_SCOPES, emulatorAdmin, startEmulatorServer } from '../src/local/emulator';

test('a pull request link and a file link open readable pages', async (t) => {
  const running = await startEmulatorServer();
  t.after(() => running.close());
  const admin = emulatorAdmin(running.baseUrl);
  await admin.addUser({ username: 'bot', email: 'bot@example.com', token: 'ATATT3xWebPagesToken0001', scopes: ALL_APP_SCOPES, workspaces: { acme: 'owner' } });
  const { commit } = await admin.addRepository('acme', 'api', { files: { 'app.py': 'import yaml\nyaml.load(x)\n' } });
  const client = createBitbucketClient({ baseUrl: running.baseUrl, fetch: nodeFetch, credentials: { email: 'bot@example.com', apiToken: 'ATATT3xWebPagesToken0001' } });
  const repo = { workspace: 'acme', repo: 'api' };
  await client.commitFiles({ repo, branch: 'remediate/x', parent: commit, message: 'fix', files: [{ path: 'app.py', content: 'import yaml\nyaml.safe_load(x)\n' }] });
  const pr = await client.createPullRequest({ repo, title: 'Use <safe_load>', description: '## Why', sourceBranch: 'remediate/x', destinationBranch: 'main' });

  const prPage = await fetch(pr.htmlUrl);
  const html = await prPage.text();
  assert.equal(prPage.status, 200);
  assert.match(prPage.headers.get('content-type') ?? '', /text\/html/);
  assert.match(html, /Use &lt;safe_load&gt;/, 'title escaped');
  assert.match(html, /<span class="del">-yaml\.load\(x\)<\/span>/);
  assert.match(html, /<span class="add">\+yaml\.safe_load\(x\)<\/span>/);

  const filePage = await fetch(`${running.baseUrl}/acme/api/src/${commit}/app.py#lines-2`);
  assert.equal(filePage.status, 200);
  assert.match(await filePage.text(), /<tr id="lines-2"><td class="n">2<\/td><td><code>yaml\.load\(x\)<\/code>/);

  assert.equal((await fetch(`${running.baseUrl}/acme/api/pull-requests/99`)).status, 404);
  assert.equal((await fetch(`${running.baseUrl}/acme/api/src/${commit}/missing.py`)).status, 404);
});
