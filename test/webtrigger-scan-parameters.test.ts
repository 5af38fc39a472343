/**
 * Issue 14, row 8: the scan parameters are checked before anything is queued. An unknown commit is
 * a 404 naming it (it used to be accepted and fail later where nobody looks); a branch name git
 * would refuse is a 400 naming the rule it breaks. Neither leaves a scan behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpWorkspace, startHarness, type Harness } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const scanCount = async () => Number((await h.host.app.deps.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM scans'))[0]?.n ?? 0);

test('an unknown commit is a 404 naming it, with one Bitbucket call and nothing stored', async () => {
  const ws = await setUpWorkspace(h, 'params-commit', vulnerablePython);
  const before = await scanCount();
  const unknown = 'f'.repeat(40);
  await h.admin('/requests', undefined, 'DELETE');
  const reply = await h.upload({ repository: 'params-commit/app', commit: unknown, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 404);
  assert.equal(reply.json.error.code, 'not_found');
  assert.match(reply.json.error.message, new RegExp(`Commit ${unknown} is not in repository params-commit/app`));
  assert.equal(await scanCount(), before);
  const calls = await h.admin<{ path: string }[]>('/requests');
  assert.equal(calls.filter((c) => c.path.includes(`/commit/${unknown}`)).length, 1);
});

test('a second upload of a commit already accepted does not ask Bitbucket about the commit again', async () => {
  const ws = await setUpWorkspace(h, 'params-again', vulnerablePython);
  const send = () => h.upload({ repository: 'params-again/app', commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal((await send()).status, 202);
  await h.host.app.queue.idle();
  await h.admin('/requests', undefined, 'DELETE');
  assert.equal((await send()).status, 202);
  const calls = await h.admin<{ path: string }[]>('/requests');
  assert.deepEqual(calls.filter((c) => c.path.includes(`/commit/${ws.commit}`) && !c.path.includes('/reports')), []);
  assert.deepEqual(calls.filter((c) => /\/repositories\/params-again\/app(\?|$)/.test(c.path)), [], 'the repository is known from the first upload');
  await h.host.app.queue.idle();
});

test('a branch name git refuses is a 400 naming the rule; nothing is stored', async () => {
  const ws = await setUpWorkspace(h, 'params-branch', vulnerablePython);
  const before = await scanCount();
  for (const [branch, rule] of [['main\u0007', /control character/], ['feature..x', /"\.\."/], ['a b', /" "/], ['x.lock', /\.lock/], ['-rf', /starts with "-"/]] as const) {
    const reply = await h.upload({ repository: 'params-branch/app', commit: ws.commit, branch }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
    assert.equal(reply.status, 400, branch);
    assert.match(reply.json.error.message, /Query parameter "branch" is not a branch name git accepts/);
    assert.match(reply.json.error.message, rule);
  }
  assert.equal(await scanCount(), before);
  const ok = await h.upload({ repository: 'params-branch/app', commit: ws.commit, branch: 'feature/JIRA-12_fix.v2' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(ok.status, 202, JSON.stringify(ok.json));
  await h.host.app.queue.idle();
});
