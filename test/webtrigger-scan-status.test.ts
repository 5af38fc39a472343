/**
 * The upload status (`GET ?scan=` on the `sarif-upload` web trigger) tells CI how many findings wait
 * for the pull request caps, so a pipeline log can say why fewer PRs were opened than fixes found.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, yamlFindingIn, yamlLoader } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const files = { 'a.py': yamlLoader('a'), 'b.py': yamlLoader('b'), 'c.py': yamlLoader('c'), 'README.md': '# app\n' };
const auth = (ws: Workspace) => ({ Authorization: `Bearer ${ws.uploadToken}` });

async function uploadAndReadStatus(slug: string, ws: Workspace): Promise<{ status: string; pullRequests: unknown[]; waitingForCap: number }> {
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFindingIn('a.py'), yamlFindingIn('b.py'), yamlFindingIn('c.py')]), auth(ws));
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  await h.host.app.queue.idle();
  const response = await h.scanStatus(reply.json.scanId, ws.uploadToken);
  assert.equal(response.status, 200);
  return response.json;
}

async function setPolicy(ws: Workspace, slug: string, policy: Record<string, unknown>): Promise<void> {
  const saved = await h.invoke('saveSettings', { username: `${slug}-bot`, email: `bot@${slug}.test`, policy }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
}

test('the scan status counts the findings waiting for the PR caps', async () => {
  const slug = 'status-capped';
  const ws = await setUpWorkspace(h, slug, files);
  await setPolicy(ws, slug, { grouping: 'per-file', maxNewPullRequestsPerScan: 1, maxOpenPullRequests: 10 });
  const body = await uploadAndReadStatus(slug, ws);
  assert.equal(body.status, 'done', JSON.stringify(body));
  assert.equal(body.pullRequests.length, 1);
  assert.equal(body.waitingForCap, 2, 'three fixable files, one new PR allowed per scan');
});

test('with room under the caps nothing waits and the status says 0', async () => {
  const slug = 'status-uncapped';
  const ws = await setUpWorkspace(h, slug, files);
  await setPolicy(ws, slug, { grouping: 'per-file', maxNewPullRequestsPerScan: 5, maxOpenPullRequests: 10 });
  const body = await uploadAndReadStatus(slug, ws);
  assert.equal(body.status, 'done', JSON.stringify(body));
  assert.equal(body.pullRequests.length, 3);
  assert.equal(body.waitingForCap, 0);
});
