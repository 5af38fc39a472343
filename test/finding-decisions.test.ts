/**
 * Decisions keep their history (issue 15, point 5) and a fix is previewed before any PR exists
 * (point 2), through the real resolvers against the emulator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncPullRequestState } from '../src/services/pull-requests/sync';
import type { FindingDetail, FindingItem, FindingPage, FixPreview, CreatePullRequestResult } from '../src/contracts/resolver-api';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding, yamlFindingIn, yamlLoader } from './support/sarif';

let h: Harness;
let ws: Workspace;
let writer: Record<string, unknown>;

const call = async <T>(key: string, payload: unknown, context = writer): Promise<T> => {
  const result = await h.invoke<T>(key, payload, context);
  assert.equal(result.ok, true, `${key}: ${JSON.stringify(result.error)}`);
  return result.data as T;
};

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'decide', {
    ...vulnerablePython,
    'notes.py': 'import os\n\n\ndef run(cmd):\n    return os.system(cmd)\n',
  });
  writer = { ...ws.repoContext, accountId: ws.adminAccountId };
  // People decide here: no pull request opens on its own.
  const saved = await h.invoke('saveSettings', { username: 'decide-bot', email: 'bot@decide.test', policy: { autoPullRequests: false } }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  const upload = await h.upload({ repository: 'decide/app', commit: ws.commit, branch: 'main' }, sarifLog([
    yamlFinding(),
    { ruleId: 'custom.no-fix-for-this', path: 'notes.py', line: 5, message: 'os.system with a variable' },
  ]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
});
after(async () => h.close());

const findingBy = async (rule: string): Promise<FindingItem> => {
  const page = await call<FindingPage>('listFindings', {});
  const found = page.items.find((item) => item.ruleId.includes(rule));
  assert.ok(found, `a finding of ${rule}`);
  return found;
};

test('undo restores exactly the triaged state the dismissal replaced; who, when and why are kept in the history', async () => {
  const before = await call<FindingDetail>('getFinding', { id: (await findingBy('no-fix-for-this')).id });
  const dismissed = await call<FindingItem>('dismissFinding', { id: before.id, verdict: 'wont_fix', reason: 'only admins reach this' });
  assert.equal(dismissed.status, 'dismissed');
  assert.equal(dismissed.dismissal?.by, ws.adminAccountId);
  assert.equal(dismissed.dismissal?.reason, 'only admins reach this');
  assert.ok(dismissed.dismissal?.at);
  const again = await h.invoke('dismissFinding', { id: before.id, verdict: 'false_positive', reason: 'second thoughts' }, writer);
  assert.equal(again.error?.code, 'conflict', 'a dismissal is undone before it is replaced, so its state is never lost');

  const undone = await call<FindingItem>('undoDismissal', { id: before.id });
  const after = await call<FindingDetail>('getFinding', { id: before.id });
  for (const key of ['status', 'verdict', 'confidence', 'justification'] as const) {
    assert.equal(undone[key], before[key], `undo restores ${key}`);
    assert.equal(after[key], before[key], `stored ${key}`);
  }
  assert.deepEqual(after.factors, before.factors);
  assert.equal(after.dismissal, undefined);
  const owner = h.host.emulator.state.users.find((user) => user.accountId === ws.adminAccountId);
  assert.ok(owner?.displayName);
  assert.deepEqual(after.people, { [ws.adminAccountId]: owner.displayName }, 'the page can say who by name');
  assert.deepEqual(after.history?.map((event) => [event.action, event.by, event.reason]), [
    ['dismissed', ws.adminAccountId, 'only admins reach this'],
    ['dismissal-undone', ws.adminAccountId, undefined],
  ]);
});

test('a finding without a fix says why in the preview, and asking for a PR gets a refusal with the reason', async () => {
  const finding = await findingBy('no-fix-for-this');
  assert.notEqual(finding.fixAvailable, true);
  const preview = await call<FixPreview>('previewFix', { id: finding.id });
  assert.equal(preview.kind, 'none');
  assert.match(preview.kind === 'none' ? preview.reason : '', /no codemod handles rule custom\.no-fix-for-this/);
  const refused = await h.invoke('createPullRequest', { findingIds: [finding.id] }, writer);
  assert.equal(refused.ok, false);
  assert.match(refused.error?.message ?? '', /no codemod handles rule custom\.no-fix-for-this/);
});

test('the preview is the diff the pull request carries once opened; declining it keeps the finding open and never offers that fix again', async () => {
  const finding = await findingBy('pyyaml');
  assert.equal(finding.fixAvailable, true);
  const requests = async () => (await h.admin<{ method: string; path: string }[]>('/requests')).filter((r) => r.method !== 'GET');
  await h.admin('/requests', undefined, 'DELETE');
  const preview = await call<FixPreview>('previewFix', { id: finding.id });
  assert.equal(preview.kind, 'diff');
  const diff = preview.kind === 'diff' ? preview.diff : '';
  assert.match(diff, /-\s+return yaml\.load\(text\)/);
  assert.match(diff, /\+.*SafeLoader|\+.*safe_load/);
  assert.deepEqual(await requests(), [], 'a preview writes nothing to Bitbucket');
  assert.equal((await call<FindingPage>('listPullRequests', {}) as unknown as { items: unknown[] }).items.length, 0);

  const opened = await call<CreatePullRequestResult>('createPullRequest', { findingIds: [finding.id] });
  assert.equal(opened.pullRequests.length, 1);
  const prId = opened.pullRequests[0]?.id ?? 0;
  const detail = await call<FindingDetail>('getFinding', { id: finding.id });
  assert.equal(detail.fix?.diff, diff, 'the PR carries exactly the previewed change');
  const pr = h.host.emulator.repository('decide', 'app')?.pullRequests.find((p) => p.id === prId);
  assert.ok(pr);
  const page = await (await fetch(`${h.url}/bitbucket/decide/app/pull-requests/${prId}`)).text();
  for (const line of diff.split('\n').filter((l) => /^[+-]\s/.test(l))) {
    const text = line.slice(1).trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    assert.ok(page.includes(text), `the PR's diff has ${line}`);
  }

  const declined = await fetch(`${h.url}/bitbucket/decide/app/pull-requests/${prId}/decline`, { method: 'POST', redirect: 'manual' });
  assert.equal(declined.status, 303);
  await h.host.pullRequestTriggers.idle();
  await syncPullRequestState(h.host.app.deps, ws.repoUuid, prId, 'DECLINED');
  const after = await call<FindingDetail>('getFinding', { id: finding.id });
  assert.equal(after.status, 'open', 'the vulnerability is still open');
  assert.equal(after.verdict, finding.verdict);
  assert.equal(after.confidence, finding.confidence);
  assert.equal(after.fixDeclined?.pullRequestId, prId);
  assert.equal(after.fixAvailable, false);
  assert.deepEqual(after.history?.map((event) => [event.action, event.pullRequestId]), [['fix-declined', prId]]);
  const again = await h.invoke('createPullRequest', { findingIds: [finding.id] }, writer);
  assert.equal(again.ok, false);
  assert.match(again.error?.message ?? '', /declined in review \(pull request #\d+\)/);
});

test('one reason dismisses every finding a filter matches; each keeps its own undo', async () => {
  const page = await call<FindingPage>('listFindings', { filter: { q: 'os.system' } });
  assert.equal(page.items.length, 1, 'free text finds the message');
  const target = page.items[0]!;
  const before = await call<FindingDetail>('getFinding', { id: target.id });
  const refused = await h.invoke('dismissFindings', { verdict: 'wont_fix', reason: 'both' }, writer);
  assert.equal(refused.error?.code, 'bad_request');
  const result = await call<{ dismissed: number; skipped: number; more: boolean }>('dismissFindings', { filter: { q: 'OS.SYSTEM' }, verdict: 'wont_fix', reason: 'legacy script, not deployed' });
  assert.deepEqual(result, { dismissed: 1, skipped: 0, more: false });
  const again = await call<{ dismissed: number; skipped: number }>('dismissFindings', { ids: [target.id], verdict: 'wont_fix', reason: 'again' });
  assert.deepEqual(again, { dismissed: 0, skipped: 1, more: false }, 'already dismissed: skipped, its reason kept');
  const dismissed = await call<FindingDetail>('getFinding', { id: target.id });
  assert.equal(dismissed.dismissal?.reason, 'legacy script, not deployed');
  await call('undoDismissal', { id: target.id });
  const after = await call<FindingDetail>('getFinding', { id: target.id });
  assert.deepEqual([after.status, after.verdict, after.confidence], [before.status, before.verdict, before.confidence]);
});

test('fix pull requests for every fixable finding a filter matches: the rest are left alone, and a filter with none is refused in words', async () => {
  const none = await h.invoke('createPullRequest', { filter: { q: 'os.system' } }, writer);
  assert.equal(none.ok, false);
  assert.match(none.error?.message ?? '', /None of the findings this filter matches has a fix to propose/);
  const both = await h.invoke('createPullRequest', { findingIds: ['x'], filter: {} }, writer);
  assert.equal(both.error?.code, 'bad_request');
  // The yaml finding's fix was declined in an earlier test: nothing fixable is left in this repository.
  const all = await h.invoke('createPullRequest', { filter: {} }, writer);
  assert.equal(all.ok, false, 'a declined fix is not proposed again through a filter either');
});

test('a filter across pages opens fix pull requests for the fixable findings it matches, and only those', async () => {
  const many = await setUpWorkspace(h, 'decide-many', { 'a/one.py': yamlLoader('one'), 'a/two.py': yamlLoader('two'), 'b/three.py': yamlLoader('three') });
  const context = { ...many.repoContext, accountId: many.adminAccountId };
  const saved = await h.invoke('saveSettings', { username: 'decide-many-bot', email: 'bot@decide-many.test', policy: { autoPullRequests: false, grouping: 'per-file' } }, many.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  const upload = await h.upload({ repository: 'decide-many/app', commit: many.commit, branch: 'main' },
    sarifLog([yamlFindingIn('a/one.py'), yamlFindingIn('a/two.py'), yamlFindingIn('b/three.py')]), { Authorization: `Bearer ${many.uploadToken}` });
  assert.equal(upload.status, 202);
  await h.host.app.queue.idle();
  const opened = await h.invoke<CreatePullRequestResult>('createPullRequest', { filter: { path: 'a/' } }, context);
  assert.equal(opened.ok, true, JSON.stringify(opened.error));
  assert.equal(opened.data?.pullRequests.length, 2, 'one per file under a/');
  const page = await h.invoke<FindingPage>('listFindings', {}, context);
  const byPath = new Map(page.data?.items.map((item) => [item.path, item.status]));
  assert.deepEqual([byPath.get('a/one.py'), byPath.get('a/two.py'), byPath.get('b/three.py')], ['fix_proposed', 'fix_proposed', 'open']);
});
