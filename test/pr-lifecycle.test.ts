/** The pure PR lifecycle rules: what a merge, a decline or a new scan does to findings and PRs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../src/domain/finding';
import {
  declinedFixReason, findingAfterPullRequest, findingReportedAgain, noLongerReported, planGroup, pullRequestsToClose, scansMainBranch, REVIEW_DECISION_BY,
} from '../src/domain/pr/lifecycle';

const finding = (id: string, over: Partial<Finding> = {}): Finding => ({
  id,
  workspaceId: '{ws}',
  repoUuid: '{repo}',
  commit: 'a'.repeat(40),
  fingerprint: `fp-${id}`,
  ruleId: 'avoid-pyyaml-load',
  tools: [{ name: 'Semgrep OSS' }],
  severity: 'high',
  cwes: ['CWE-502'],
  message: 'yaml.load',
  location: { path: 'app.py', startLine: 3 },
  status: 'fix_proposed',
  verdict: 'true_positive',
  confidence: 90,
  justification: 'Reported in source code.',
  factors: [],
  firstSeenScanId: 's1',
  lastSeenScanId: 's1',
  createdAt: '',
  updatedAt: '',
  ...over,
});
const pr = { id: 7, url: 'https://bb/pr/7', branch: 'remediate/pyyaml-safe-load' };
const at = '2026-01-01T00:00:00.000Z';

test('a merged pull request marks its findings fixed', () => {
  const { finding: after } = findingAfterPullRequest(finding('a'), pr, 'MERGED', at);
  assert.equal(after.status, 'fixed');
  assert.equal(after.pullRequest?.state, 'MERGED');
  assert.equal(after.fixDeclined, undefined);
});

test('a declined pull request declines the fix: the finding stays open with its triage, and the decline is in its history', () => {
  const proposed = finding('a', { status: 'fix_proposed' });
  const { finding: after } = findingAfterPullRequest(proposed, pr, 'DECLINED', at);
  assert.equal(after.status, 'open');
  assert.equal(after.verdict, proposed.verdict);
  assert.equal(after.confidence, proposed.confidence);
  assert.equal(after.justification, proposed.justification);
  assert.deepEqual(after.fixDeclined, { pullRequestId: 7, ...(proposed.fix ? { codemodId: proposed.fix.codemodId } : {}), at });
  assert.deepEqual(after.history, [{ action: 'fix-declined', by: REVIEW_DECISION_BY, at, pullRequestId: 7 }]);
  // The same event again (a retry, the reconcile) adds nothing.
  assert.deepEqual(findingAfterPullRequest(after, pr, 'DECLINED', at).finding.history, after.history);
  assert.match(declinedFixReason(after) ?? '', /declined in review \(pull request #7\)/);
});

test('a person\'s dismissal stays dismissed when its fix is declined', () => {
  const { finding: after } = findingAfterPullRequest(finding('a', { status: 'dismissed' }), pr, 'DECLINED', at);
  assert.equal(after.status, 'dismissed');
  assert.equal(after.fixDeclined?.pullRequestId, 7);
});

test('a finding already fixed (no longer reported) stays fixed when the app declines its PR', () => {
  const { finding: after } = findingAfterPullRequest(finding('a', { status: 'fixed' }), pr, 'DECLINED', at);
  assert.equal(after.status, 'fixed');
  assert.equal(after.fixDeclined, undefined);
});

test('a person\'s dismissal survives a merge; a superseded PR gives findings back to the next scan', () => {
  assert.equal(findingAfterPullRequest(finding('a', { status: 'dismissed' }), pr, 'MERGED', at).finding.status, 'dismissed');
  assert.equal(findingAfterPullRequest(finding('a'), pr, 'SUPERSEDED', at).finding.status, 'open');
  assert.equal(findingAfterPullRequest(finding('a', { status: 'open' }), pr, 'OPEN', at).finding.status, 'fix_proposed');
});

test('planGroup: open PR takes only the findings it lacks; without one a new PR is opened; dismissed and fix-declined never return', () => {
  const carried = finding('a');
  const added = finding('b', { status: 'open' });
  const dismissed = finding('c', { status: 'dismissed' });
  const declined = finding('d', { status: 'open', fixDeclined: { pullRequestId: 3, at } });
  assert.deepEqual(planGroup([carried, added], [{ id: 7, state: 'OPEN', findingIds: ['a'] }]), { kind: 'add', pullRequestId: 7, added: [added] });
  assert.deepEqual(planGroup([carried], [{ id: 7, state: 'OPEN', findingIds: ['a'] }]), { kind: 'up-to-date', pullRequestId: 7 });
  assert.deepEqual(planGroup([added, dismissed, declined], [{ id: 3, state: 'DECLINED', findingIds: ['c', 'd'] }]), { kind: 'open', findings: [added] });
  assert.equal(planGroup([dismissed], [{ id: 3, state: 'DECLINED', findingIds: ['c'] }]).kind, 'nothing');
  const nothing = planGroup([declined], []);
  assert.equal(nothing.kind, 'nothing');
  assert.match(nothing.kind === 'nothing' ? nothing.reason : '', /pull request #3/);
});

test('only a scan of the main branch speaks for it; without a branch name the commit must be the main tip', () => {
  const commit = 'b'.repeat(40);
  assert.equal(scansMainBranch({ branch: 'main', mainBranch: 'main', commit }, undefined), true);
  assert.equal(scansMainBranch({ branch: 'feature/x', mainBranch: 'main', commit }, commit), false);
  assert.equal(scansMainBranch({ mainBranch: 'main', commit }, commit), true);
  assert.equal(scansMainBranch({ mainBranch: 'main', commit }, 'c'.repeat(40)), false);
  assert.equal(scansMainBranch({ mainBranch: 'main', commit }, undefined), false);
});

test('a finding is gone only when an analysis that reported it ran again on a later commit and did not report it', () => {
  const later = 'c'.repeat(40);
  const reported = (analysis: string, ruleId: string) => ({ reports: [{ tool: 'Semgrep OSS', ruleId, analysis }] });
  const a = { ...finding('a'), ...reported('semgrep oss|lang:python', 'r1') };
  const scan = (analyses: string[], fingerprints: string[], commit = later) => ({ analyses: new Set(analyses), commit, reportedFingerprints: new Set(fingerprints) });
  assert.equal(noLongerReported(a, scan(['semgrep oss|lang:python'], [])), true);
  assert.equal(noLongerReported(a, scan(['semgrep oss|lang:python'], ['fp-a'])), false);
  assert.equal(noLongerReported(a, scan(['bandit|lang:python'], [])), false, 'another scanner says nothing about it');
  assert.equal(noLongerReported(a, scan(['semgrep oss|lang:javascript'], [])), false, 'the same tool on other languages is another analysis');
  assert.equal(noLongerReported(a, scan(['semgrep oss|lang:python'], [], a.commit)), false, 'an upload for the commit it was seen at is not a later scan');
  const legacy = finding('a');
  assert.equal(noLongerReported(legacy, scan(['semgrep oss'], [])), true, 'findings stored before analyses count as their tool\'s');
});

test('pullRequestsToClose: only PRs with nothing still reported', () => {
  const findings = new Map([['a', finding('a')], ['b', finding('b')]]);
  const scan = { analyses: new Set(['semgrep oss']), commit: 'c'.repeat(40), reportedFingerprints: new Set(['fp-b']) };
  const closed = pullRequestsToClose(
    [
      { id: 1, state: 'OPEN', findingIds: ['a'] },
      { id: 2, state: 'OPEN', findingIds: ['a', 'b'] },
      { id: 3, state: 'OPEN', findingIds: ['unknown'] },
      { id: 4, state: 'MERGED', findingIds: ['a'] },
    ],
    findings,
    scan,
  );
  assert.deepEqual(closed, [1]);
});

test('a fixed finding reported again by a scan naming the main branch is open again; other scans change nothing', () => {
  const fixed = finding('a', { status: 'fixed' });
  assert.equal(findingReportedAgain(fixed, { branch: 'main', mainBranch: 'main' }, at)?.status, 'open');
  assert.equal(findingReportedAgain(fixed, { branch: 'feature/x', mainBranch: 'main' }, at), undefined);
  assert.equal(findingReportedAgain(fixed, { mainBranch: 'main' }, at), undefined);
  assert.equal(findingReportedAgain(finding('b', { status: 'dismissed' }), { branch: 'main', mainBranch: 'main' }, at), undefined);
});
