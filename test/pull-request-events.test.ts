/**
 * Pull request events and the scheduled reconcile, against real storage and the emulator: the
 * trigger handler with Forge's documented payloads, the emulator delivering events to the local
 * host when a PR is merged or declined through the REST API or the web page, and the reconcile
 * catching what no event told us, within its request budget.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcilePullRequests } from '../src/services/pull-requests/reconcile';
import { FindingsRepository } from '../src/storage/findings-repository';
import { PullRequestsRepository } from '../src/storage/pull-requests-repository';
import { mergePullRequest } from '../src/local/emulator/routes-pullrequests';
import { serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

type RequestLog = { method: string; path: string; status: number }[];

/** A workspace whose scan opened one remediation PR (stored by the app). */
async function scanned(slug: string): Promise<{ ws: Workspace; prId: number }> {
  const ws = await setUpWorkspace(h, slug, vulnerablePython);
  const upload = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
  const [stored] = await new PullRequestsRepository(h.host.app.deps.db).listForRepository(ws.repoUuid);
  assert.ok(stored, 'a PR was opened and stored');
  assert.equal(stored.state, 'OPEN');
  return { ws, prId: stored.id };
}

const yamlFindingOf = async (ws: Workspace) => {
  const finding = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).find((f) => f.ruleId.includes('pyyaml'));
  assert.ok(finding);
  return finding;
};
const storedPr = async (ws: Workspace, id: number) => new PullRequestsRepository(h.host.app.deps.db).get(ws.repoUuid, id);
const emulatorRepo = (slug: string) => h.host.emulator.state.repositories.find((r) => r.workspace === slug);

/** The payload Forge documents for `avi:bitbucket:{fulfilled|rejected}:pullrequest`. */
function forgeEvent(kind: 'fulfilled' | 'rejected', ws: Workspace, prId: number) {
  return {
    actor: { type: 'user', accountId: ws.adminAccountId, uuid: '{cc8e193d-7603-4dfd-8771-fcc8960aa0fb}' },
    repository: { uuid: ws.repoUuid, slug: 'app' },
    project: { uuid: '{1860e69a-65c1-4ac2-8ab0-cbd2868e7573}' },
    workspace: { uuid: ws.workspaceId },
    pullrequest: {
      id: prId,
      state: kind === 'fulfilled' ? 'MERGED' : 'DECLINED',
      source: { branch: 'remediate/pyyaml-safe-load', commit: { hash: 'cc2758d231fc' } },
      destination: { branch: 'main', commit: { hash: 'a37e0ad81173' } },
      ...(kind === 'fulfilled' ? { mergeCommit: { hash: '71e4ecfcd2ba' } } : {}),
      updatedOn: '2026-06-01T03:12:16.159643+00:00',
      createdOn: '2026-05-27T06:42:44.936130+00:00',
      title: { truncated: false, value: 'Use yaml.safe_load' },
      author: { accountId: '712020:f44b4850', type: 'user', uuid: '{c0de26c1-c01f-4d70-a19c-dac5a7b2e531}', displayName: 'Fix Bot' },
      commentCount: 0,
      taskCount: 0,
    },
    eventType: `avi:bitbucket:${kind}:pullrequest`,
    timestamp: '2026-03-23T06:03:12.361017Z',
    selfGenerated: false,
  };
}

test('the trigger: a merged event marks the findings fixed, without calling Bitbucket', async () => {
  const { ws, prId } = await scanned('event-merge');
  await h.admin('/requests', undefined, 'DELETE');
  const outcome = await h.host.app.pullRequestEvents(forgeEvent('fulfilled', ws, prId), { installContext: 'ari:cloud:bitbucket::workspace/x' });
  assert.equal(outcome.kind, 'synced');
  assert.equal((await yamlFindingOf(ws)).status, 'fixed');
  assert.equal((await storedPr(ws, prId))?.state, 'MERGED');
  assert.deepEqual(await h.admin<RequestLog>('/requests'), [], 'no Bitbucket call');
  // Bitbucket may deliver twice: the second changes nothing.
  const again = await h.host.app.pullRequestEvents(forgeEvent('fulfilled', ws, prId));
  assert.deepEqual(again, { kind: 'synced', result: { known: true, changed: false, findingsUpdated: 0 } });
});

test('the trigger: a declined event declines the fix; the finding stays open', async () => {
  const { ws, prId } = await scanned('event-decline');
  const outcome = await h.host.app.pullRequestEvents(forgeEvent('rejected', ws, prId));
  assert.equal(outcome.kind, 'synced');
  const finding = await yamlFindingOf(ws);
  assert.equal(finding.status, 'open');
  assert.equal(finding.fixDeclined?.pullRequestId, prId);
  assert.equal(finding.verdict, 'true_positive', 'verdict kept');
  assert.equal((await storedPr(ws, prId))?.state, 'DECLINED');
});

test('the trigger: a PR that is not ours is ignored with no Bitbucket call and nothing stored', async () => {
  const { ws, prId } = await scanned('event-foreign');
  await h.admin('/requests', undefined, 'DELETE');
  const foreignRepo = { ...ws, repoUuid: '{4c16a397-8e48-479c-8ca2-442e46c90570}' };
  assert.deepEqual(await h.host.app.pullRequestEvents(forgeEvent('fulfilled', foreignRepo, prId)), { kind: 'ignored', reason: 'not a Remediate pull request' });
  assert.deepEqual(await h.host.app.pullRequestEvents(forgeEvent('rejected', ws, prId + 100)), { kind: 'ignored', reason: 'not a Remediate pull request' });
  assert.deepEqual(await h.admin<RequestLog>('/requests'), [], 'no Bitbucket call');
  assert.equal((await storedPr(ws, prId))?.state, 'OPEN');
  assert.equal((await yamlFindingOf(ws)).status, 'fix_proposed');
});

test('the trigger: unreadable payloads are logged and dropped, never thrown', async () => {
  const { ws, prId } = await scanned('event-bad');
  const good = forgeEvent('fulfilled', ws, prId);
  const bad: unknown[] = [
    null,
    'avi:bitbucket:fulfilled:pullrequest',
    {},
    { ...good, pullrequest: undefined },
    { ...good, pullrequest: { ...good.pullrequest, id: '1' } },
    { ...good, repository: { uuid: 'not-a-uuid' } },
    { ...good, eventType: 'avi:bitbucket:created:pullrequest' },
  ];
  for (const event of bad) {
    const outcome = await h.host.app.pullRequestEvents(event);
    assert.equal(outcome.kind, 'ignored', JSON.stringify(event));
  }
  assert.equal((await storedPr(ws, prId))?.state, 'OPEN', 'nothing changed');
});

test('local host: merging through the REST API delivers the event; findings are fixed without the timer', async () => {
  const { ws, prId } = await scanned('host-merge');
  const service = serviceAccount('host-merge');
  const response = await fetch(`${h.url}/bitbucket/2.0/repositories/host-merge/app/pullrequests/${prId}/merge`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${service.email}:${service.token}`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ merge_strategy: 'merge_commit', close_source_branch: true }),
  });
  assert.equal(response.status, 200);
  assert.equal(emulatorRepo('host-merge')?.pullRequests[0]?.state, 'MERGED');
  await h.host.pullRequestTriggers.idle();
  assert.equal((await yamlFindingOf(ws)).status, 'fixed');
  assert.equal((await storedPr(ws, prId))?.state, 'MERGED');
});

test('local host: the Decline button on the emulator PR page delivers the event; the fix is declined', async () => {
  const { ws, prId } = await scanned('host-decline');
  const page = await (await fetch(`${h.url}/bitbucket/host-decline/app/pull-requests/${prId}`)).text();
  assert.match(page, /<button type="submit">Decline<\/button>/);
  const response = await fetch(`${h.url}/bitbucket/host-decline/app/pull-requests/${prId}/decline`, { method: 'POST', redirect: 'manual' });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), `${h.url}/bitbucket/host-decline/app/pull-requests/${prId}`);
  await h.host.pullRequestTriggers.idle();
  assert.equal((await yamlFindingOf(ws)).fixDeclined?.pullRequestId, prId);
  assert.equal((await yamlFindingOf(ws)).status, 'open');
  assert.equal((await storedPr(ws, prId))?.state, 'DECLINED');
  const after = await (await fetch(`${h.url}/bitbucket/host-decline/app/pull-requests/${prId}`)).text();
  assert.doesNotMatch(after, /<button/, 'no buttons on a closed PR');
});

test('reconcile: PRs merged or declined without an event are synced, oldest-checked first within the budget', async () => {
  const merged = await scanned('recon-merged');
  const declined = await scanned('recon-declined');
  const untouched = await scanned('recon-open');
  // Behind the app's back (no event): merge one, decline another, straight in the emulator's state.
  const mergedRepo = emulatorRepo('recon-merged');
  const mergedPr = mergedRepo?.pullRequests.find((p) => p.id === merged.prId);
  assert.ok(mergedRepo && mergedPr);
  assert.equal(mergePullRequest(h.host.emulator.state, mergedRepo, mergedPr), undefined);
  const declinedPr = emulatorRepo('recon-declined')?.pullRequests.find((p) => p.id === declined.prId);
  assert.ok(declinedPr);
  declinedPr.state = 'DECLINED';

  const open = (await h.host.app.deps.db.query<{ id: number }>("SELECT id FROM pull_requests WHERE state = 'OPEN'")).length;
  assert.ok(open >= 3);
  // One request per run: each run asks about a different PR, and a few runs cover them all.
  await h.admin('/requests', undefined, 'DELETE');
  const asked = new Set<string>();
  for (let run = 1; run <= open; run += 1) {
    const result = await reconcilePullRequests(h.host.app.deps, { maxRequests: 1 });
    assert.equal(result.checked, 1, `run ${run} checks one PR`);
    if (run < open) assert.equal(result.stoppedBy, 'budget');
    const requests = await h.admin<RequestLog>('/requests');
    await h.admin('/requests', undefined, 'DELETE');
    assert.equal(requests.length, 1, 'one Bitbucket request per run');
    asked.add(requests[0]?.path ?? '');
  }
  assert.equal(asked.size, open, 'every open PR was asked about once');
  assert.equal((await yamlFindingOf(merged.ws)).status, 'fixed');
  assert.equal((await storedPr(merged.ws, merged.prId))?.state, 'MERGED');
  assert.equal((await yamlFindingOf(declined.ws)).status, 'open');
  assert.equal((await yamlFindingOf(declined.ws)).fixDeclined?.pullRequestId, declined.prId);
  assert.equal((await storedPr(declined.ws, declined.prId))?.state, 'DECLINED');
  assert.equal((await storedPr(untouched.ws, untouched.prId))?.state, 'OPEN');
  assert.equal((await yamlFindingOf(untouched.ws)).status, 'fix_proposed');
});

test('reconcile: a spent budget leaves the rest for the next run, which finishes them', async () => {
  const first = await scanned('budget-a');
  const second = await scanned('budget-b');
  for (const slug of ['budget-a', 'budget-b']) {
    const repo = emulatorRepo(slug);
    const pr = repo?.pullRequests[0];
    assert.ok(repo && pr);
    assert.equal(mergePullRequest(h.host.emulator.state, repo, pr), undefined);
  }
  // Never-checked PRs come first, so the two new ones are the first two asked about.
  const short = await reconcilePullRequests(h.host.app.deps, { maxRequests: 1 });
  assert.equal(short.stoppedBy, 'budget');
  assert.equal(short.changed.length, 1);
  assert.ok(short.leftForNextRun >= 1);
  const synced = async () => [await storedPr(first.ws, first.prId), await storedPr(second.ws, second.prId)].filter((pr) => pr?.state === 'MERGED').length;
  assert.equal(await synced(), 1, 'one synced, one left');
  const rest = await h.host.pullRequestTriggers.reconcileNow();
  assert.equal(rest.stoppedBy, undefined);
  assert.equal(rest.leftForNextRun, 0);
  assert.equal(await synced(), 2, 'the next run finished the job');
  assert.equal((await yamlFindingOf(first.ws)).status, 'fixed');
  assert.equal((await yamlFindingOf(second.ws)).status, 'fixed');
});

test('reconcile: a workspace without a service account is passed over without a request, and rotates to the back', async () => {
  const { ws, prId } = await scanned('recon-unset');
  const service = serviceAccount('recon-unset');
  const saved = await h.invoke('saveSettings', { username: service.username, email: service.email, removeApiToken: true }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  await h.admin('/requests', undefined, 'DELETE');
  const result = await reconcilePullRequests(h.host.app.deps, { maxRequests: 1 });
  // Never checked, so first in line; passing it over costs no request, so the budget reaches the next PR.
  assert.equal(result.checked, 2);
  const requests = await h.admin<RequestLog>('/requests');
  assert.equal(requests.length, 1);
  assert.ok(!requests.some((r) => r.path.includes(encodeURIComponent(ws.repoUuid)) || r.path.includes(ws.repoUuid)), 'nothing asked about the unconfigured workspace');
  const [row] = await h.host.app.deps.db.query<{ checked_at: string | null; state: string }>('SELECT checked_at, state FROM pull_requests WHERE repo_uuid = ? AND id = ?', [ws.repoUuid, prId]);
  assert.ok(row?.checked_at, 'marked checked, so it does not hold the front of the line');
  assert.equal(row?.state, 'OPEN');
});
