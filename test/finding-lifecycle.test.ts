import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, NormalisedFinding, TriageResult } from '../src/domain/finding';
import { foldFinding } from '../src/domain/pr/finding-lifecycle';

const item: NormalisedFinding = {
  fingerprint: 'fp1', ruleId: 'yaml-load', tools: [{ name: 'Semgrep OSS' }], severity: 'high', cwes: ['CWE-502'],
  message: 'unsafe yaml', location: { path: 'app/config.py', startLine: 10 },
};
const triage = (verdict: TriageResult['verdict'], confidence: number): TriageResult =>
  ({ verdict, confidence, justification: `${verdict} at ${confidence}`, factors: [{ id: 'f', weight: confidence, detail: 'why' }] });
const scan = { id: 'scan-2', workspaceId: 'ws', repoUuid: '{r}', commit: 'c2' };
const fold = (extra: Partial<Parameters<typeof foldFinding>[0]>) =>
  foldFinding({ item, triage: triage('false_positive', 92), scan, now: '2024-01-02T00:00:00Z', newId: () => 'new', ...extra });

test('a rescan keeps a dismissal\'s who, when and why, and what an undo restores follows the new triage', () => {
  const first = fold({});
  const dismissed: Finding = {
    ...first, status: 'dismissed', verdict: 'wont_fix', confidence: 100,
    dismissal: { verdict: 'wont_fix', reason: 'accepted', by: 'acc-1', at: 't1', before: { status: 'open', verdict: 'false_positive', confidence: 92, justification: 'x', factors: [] } },
    history: [{ action: 'dismissed', by: 'acc-1', at: 't1', reason: 'accepted', verdict: 'wont_fix' }],
  };
  const again = fold({ previous: dismissed, triage: triage('true_positive', 80), humanDecision: { verdict: 'wont_fix', reason: 'accepted', by: 'acc-1', at: 't1' } });
  assert.equal(again.status, 'dismissed');
  assert.equal(again.verdict, 'wont_fix');
  assert.deepEqual(again.dismissal && { ...again.dismissal, before: { ...again.dismissal.before, factors: [] } }, {
    verdict: 'wont_fix', reason: 'accepted', by: 'acc-1', at: 't1',
    before: { status: 'open', verdict: 'true_positive', confidence: 80, justification: 'true_positive at 80', factors: [] },
  });
  assert.deepEqual(again.history, dismissed.history);
});

test('a dismissal stored before the state was kept gets one at the next scan, from its triage', () => {
  const legacy: Finding = { ...fold({}), status: 'dismissed', verdict: 'false_positive', confidence: 100 };
  const again = fold({ previous: legacy, humanDecision: { verdict: 'false_positive', reason: 'old', by: 'acc-2', at: 't0' } });
  assert.equal(again.dismissal?.by, 'acc-2');
  assert.equal(again.dismissal?.before.verdict, 'false_positive');
  assert.equal(again.dismissal?.before.confidence, 92);
});

test('a declined fix is remembered across scans', () => {
  const previous: Finding = { ...fold({}), fixDeclined: { pullRequestId: 4, at: 't' }, history: [{ action: 'fix-declined', by: 'pull-request-review', at: 't', pullRequestId: 4 }] };
  const again = fold({ previous });
  assert.deepEqual(again.fixDeclined, { pullRequestId: 4, at: 't' });
  assert.equal(again.history?.length, 1);
  assert.equal(again.status, previous.status);
});
