/**
 * syncPullRequestState against real storage: a PR opened by a real upload is merged or declined
 * in the emulator, then synced the way the PR-event trigger and the reconcile job will.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncPullRequestState } from '../src/services/pull-requests/sync';
import { FindingsRepository } from '../src/storage/findings-repository';
import { PullRequestsRepository } from '../src/storage/pull-requests-repository';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => h.close());

async function scanned(slug: string): Promise<{ ws: Workspace; prId: number }> {
  const ws = await setUpWorkspace(h, slug, vulnerablePython);
  const upload = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
  const [stored] = await new PullRequestsRepository(h.host.app.deps.db).listForRepository(ws.repoUuid);
  assert.ok(stored, 'a PR was opened and stored');
  return { ws, prId: stored.id };
}

const findingOf = async (ws: Workspace) => {
  const [finding] = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).filter((f) => f.ruleId.includes('pyyaml'));
  assert.ok(finding);
  return finding;
};

test('a merged PR marks its findings fixed; syncing again changes nothing', async () => {
  const { ws, prId } = await scanned('sync-merge');
  await h.admin(`/repositories/sync-merge/app/pullrequests/${prId}/merge`, {});
  const first = await syncPullRequestState(h.host.app.deps, ws.repoUuid, prId, 'MERGED');
  assert.deepEqual(first, { known: true, changed: true, findingsUpdated: 1 });
  const finding = await findingOf(ws);
  assert.equal(finding.status, 'fixed');
  assert.equal(finding.pullRequest?.state, 'MERGED');
  assert.deepEqual(await syncPullRequestState(h.host.app.deps, ws.repoUuid, prId, 'MERGED'), { known: true, changed: false, findingsUpdated: 0 });
  assert.deepEqual(await syncPullRequestState(h.host.app.deps, ws.repoUuid, 999, 'MERGED'), { known: false, changed: false, findingsUpdated: 0 });
});

test('a declined PR declines the fix: the finding stays open, and a new upload neither dismisses it nor recreates the PR', async () => {
  const { ws, prId } = await scanned('sync-decline');
  const auth = { Authorization: `Basic ${Buffer.from('bot@sync-decline.test:ATATT3xServicesync-declineToken00000000000000042').toString('base64')}` };
  const declined = await fetch(`${h.url}/bitbucket/2.0/repositories/sync-decline/app/pullrequests/${prId}/decline`, { method: 'POST', headers: auth });
  assert.equal(declined.status, 200);
  const before = await findingOf(ws);
  await syncPullRequestState(h.host.app.deps, ws.repoUuid, prId, 'DECLINED');
  const finding = await findingOf(ws);
  assert.equal(finding.status, 'open', 'the vulnerability is still there: only the fix was declined');
  assert.equal(finding.verdict, before.verdict, 'verdict kept');
  assert.equal(finding.confidence, before.confidence, 'confidence kept');
  assert.equal(finding.fixDeclined?.pullRequestId, prId);
  assert.deepEqual(finding.history?.map((event) => [event.action, event.pullRequestId]), [['fix-declined', prId]]);
  const known = await new FindingsRepository(h.host.app.deps.db).getByFingerprint(ws.repoUuid, finding.fingerprint);
  assert.equal(known?.humanDecision, undefined, 'no one dismissed it');

  const again = await h.upload({ repository: 'sync-decline/app', commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(again.status, 202);
  await h.host.app.queue.idle();
  const prs = h.host.emulator.state.repositories.find((r) => r.workspace === 'sync-decline')?.pullRequests ?? [];
  assert.deepEqual(prs.map((p) => [p.id, p.state]), [[prId, 'DECLINED']], 'no new PR for the same fingerprints');
  const rescanned = await findingOf(ws);
  assert.equal(rescanned.status, 'open', 'still open after a rescan');
  assert.equal(rescanned.fixDeclined?.pullRequestId, prId, 'the declined fix is remembered across scans');
});
