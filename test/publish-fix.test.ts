/** Publishing a fix: a stale branch from an interrupted run is replaced, executable scripts stay executable. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBitbucketClient } from '../src/bitbucket/client';
import { nodeFetch } from '../src/local/adapters/node-fetch';
import { serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, YAML_RULE } from './support/sarif';

let h: Harness;
let ws: Workspace;
const script = '#!/usr/bin/env python3\nimport yaml\n\nprint(yaml.load(open("c.yml")))\n';

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'publish-ws', { 'tools/load.py': script });
  // Mark the script executable the way Bitbucket stores it, then record the scanned commit.
  await h.admin('/repositories/publish-ws/app', { files: { 'tools/load.py': { content: script, executable: true } } });
  ws.commit = h.host.emulator.state.repositories.find((r) => r.slug === 'app')?.branches.main ?? '';
});
after(async () => h.close());

test('a leftover remediation branch without a PR is replaced, and the executable bit survives', async () => {
  const service = serviceAccount('publish-ws');
  const client = createBitbucketClient({ baseUrl: `${h.url}/bitbucket`, fetch: nodeFetch, credentials: { email: service.email, apiToken: service.token } });
  const repo = { workspace: 'publish-ws', repo: 'app' };
  await client.commitFiles({ repo, branch: 'remediate/pyyaml-safe-load', parent: ws.commit, message: 'half-finished earlier run', files: [{ path: 'junk.txt', content: 'x' }] });

  const sarif = sarifLog([{ ruleId: YAML_RULE, path: 'tools/load.py', line: 4, snippet: 'print(yaml.load(open("c.yml")))', tags: ['CWE-502'] }]);
  const upload = await h.upload({ repository: 'publish-ws/app', commit: ws.commit }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();

  const state = h.host.emulator.state.repositories.find((r) => r.slug === 'app');
  const pr = state?.pullRequests.find((p) => p.sourceBranch === 'remediate/pyyaml-safe-load');
  assert.ok(pr, 'PR opened');
  const tip = state?.commits[pr.sourceCommit];
  assert.deepEqual(tip?.parents, [ws.commit], 'the fix sits directly on the scanned commit');
  assert.equal(tip?.tree['junk.txt'], undefined, 'the leftover commit is gone');
  assert.equal(tip?.tree['tools/load.py']?.executable, true, 'still executable');
  assert.match(state?.blobs[tip?.tree['tools/load.py']?.blob ?? ''] ?? '', /yaml\.safe_load\(open/);
});
