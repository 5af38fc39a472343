import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, NormalisedFinding } from '../src/domain/finding';
import { triageFinding } from '../src/domain/triage/triage';
import { foldFinding } from '../src/services/scan/merge-findings';
import { defaultPolicy, policySchema } from '../src/services/policy';

const item: NormalisedFinding = {
  fingerprint: 'fp1', ruleId: 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load', tools: [{ name: 'Semgrep OSS' }],
  severity: 'high', cwes: ['CWE-502'], message: 'unsafe yaml', location: { path: 'app/config.py', startLine: 10 }, snippet: 'yaml.load(text)', precision: 'very-high',
};
const scan = { id: 'scan-2', workspaceId: 'ws', repoUuid: '{r}', commit: 'c2' };
const fold = (extra: Partial<Parameters<typeof foldFinding>[0]>) =>
  foldFinding({ item, triage: triageFinding(item, { fixAvailable: true }), scan, now: '2024-01-02T00:00:00Z', newId: () => 'new', ...extra });

test('a person\'s dismissal sticks to the fingerprint: re-triage never overrides it', () => {
  const first = fold({});
  assert.equal(first.verdict, 'true_positive');
  const previous: Finding = { ...first, status: 'dismissed', verdict: 'wont_fix' };
  const again = fold({ previous, humanDecision: { verdict: 'false_positive', reason: 'config is trusted' } });
  assert.equal(again.id, first.id);
  assert.equal(again.status, 'dismissed');
  assert.equal(again.verdict, 'false_positive');
  assert.equal(again.confidence, 100);
  assert.match(again.justification, /Dismissed by a person: config is trusted/);
});

test('without a person\'s decision a known finding takes the new triage and keeps its status', () => {
  const previous: Finding = { ...fold({}), status: 'fix_proposed', verdict: 'suspicious', firstSeenScanId: 'scan-1' };
  const again = fold({ previous });
  assert.equal(again.status, 'fix_proposed');
  assert.equal(again.verdict, 'true_positive');
  assert.equal(again.firstSeenScanId, 'scan-1');
  const suppressed = foldFinding({ item: { ...item, suppression: { kind: 'inSource' } }, triage: triageFinding(item, { fixAvailable: true }), scan, now: 'n', newId: () => 'x' });
  assert.equal(suppressed.status, 'suppressed');
});

test('policy: ignored rules and CWEs are won\'t fix with the policy named; defaults are empty and validated', () => {
  const byRule = triageFinding(item, { fixAvailable: true, ignoreRules: [item.ruleId] });
  assert.equal(byRule.verdict, 'wont_fix');
  assert.match(byRule.justification, /^ignored by workspace policy \(rule python\.lang\.security/);
  assert.equal(triageFinding(item, { fixAvailable: true, ignoreCwes: ['502'] }).verdict, 'wont_fix');
  assert.equal(triageFinding(item, { fixAvailable: true, ignoreCwes: ['CWE-79'] }).verdict, 'true_positive');
  assert.deepEqual([defaultPolicy.ignoreRules, defaultPolicy.ignoreCwes], [[], []]);
  assert.equal(policySchema.safeParse({ ...defaultPolicy, ignoreCwes: ['CWE-89', '79'] }).success, true);
  assert.equal(policySchema.safeParse({ ...defaultPolicy, ignoreCwes: ['sql'] }).success, false);
});
