/** The Code Insights report rules without I/O: which findings are annotated, in what order, and the result. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../src/domain/finding';
import { buildSecurityReport, clip, SUMMARY_LIMIT } from '../src/services/insights/report-content';

let seq = 0;
function finding(over: Partial<Finding>): Finding {
  seq += 1;
  return {
    id: `f${seq}`, fingerprint: `fp${String(seq).padStart(4, '0')}`, ruleId: 'rule', tools: [{ name: 'Semgrep OSS' }], severity: 'medium', cwes: [],
    message: `problem ${seq}`, location: { path: `src/f${seq}.py`, startLine: seq }, workspaceId: '{w}', repoUuid: '{r}', commit: 'c'.repeat(40),
    status: 'open', verdict: 'true_positive', confidence: 80, justification: 'because', factors: [],
    firstSeenScanId: 's', lastSeenScanId: 's', createdAt: '', updatedAt: '', ...over,
  };
}

test('only true positives and suspicious findings still open or proposed are annotated, most severe first', () => {
  const findings = [
    finding({ severity: 'low' }),
    finding({ severity: 'critical', verdict: 'suspicious', confidence: 40 }),
    finding({ severity: 'critical', confidence: 90 }),
    finding({ severity: 'high', verdict: 'false_positive' }),
    finding({ severity: 'high', verdict: 'wont_fix' }),
    finding({ severity: 'high', status: 'dismissed' }),
    finding({ severity: 'high', status: 'suppressed' }),
    finding({ severity: 'info', status: 'fix_proposed', pullRequest: { id: 7, url: 'https://bitbucket.org/a/b/pull-requests/7', state: 'OPEN', branch: 'remediate/x' } }),
    finding({ severity: 'medium', location: undefined }),
  ];
  const { report, annotations } = buildSecurityReport(findings, 'https://example.test/repo');
  assert.deepEqual(annotations.map((a) => a.severity), ['CRITICAL', 'CRITICAL', 'MEDIUM', 'LOW', 'LOW']);
  assert.equal(annotations[0]?.externalId, `remediate-security-${findings[2]?.fingerprint}`, 'true positive before suspicious at equal severity');
  const proposed = annotations.find((a) => a.link?.includes('pull-requests/7'));
  assert.ok(proposed, 'the fix PR is the link');
  assert.match(proposed.details ?? '', /pull request #7/);
  assert.equal(annotations.find((a) => a.path === undefined)?.line, undefined, 'no location: shown in the overview');
  assert.equal(annotations.filter((a) => a.link === 'https://example.test/repo').length, 4);
  assert.equal(report.result, 'FAILED', 'a critical true positive fails');
  const data = Object.fromEntries((report.data ?? []).map((d) => [d.title, d.value]));
  assert.equal(data.Critical, 2);
  assert.equal(data['False positives'], 1);
  assert.equal(data["Won't fix"], 1);
  assert.equal(data['Fix pull requests'], 1);
  assert.ok((report.data ?? []).length <= 10);
});

test('PASSED when no high or critical true positive is left; suspicious ones do not fail it', () => {
  const { report } = buildSecurityReport(
    [finding({ severity: 'critical', verdict: 'suspicious' }), finding({ severity: 'high', status: 'fixed' }), finding({ severity: 'medium' })],
    'https://example.test/repo',
  );
  assert.equal(report.result, 'PASSED');
});

test('summaries are cut to 450 UTF-16 units, never inside a surrogate pair, with an ellipsis', () => {
  const long = '🔒'.repeat(600);
  const cut = clip(long, SUMMARY_LIMIT);
  assert.equal(cut.length, SUMMARY_LIMIT - 1, '224 emoji of two UTF-16 units, then the ellipsis');
  assert.ok(cut.endsWith('…'));
  assert.ok(!/[\uD800-\uDBFF]$/.test(cut.slice(0, -1)), 'no lone surrogate before the ellipsis');
  assert.equal(clip('a'.repeat(SUMMARY_LIMIT), SUMMARY_LIMIT), 'a'.repeat(SUMMARY_LIMIT), 'exactly the limit is kept whole');
  assert.equal(clip('a'.repeat(SUMMARY_LIMIT + 1), SUMMARY_LIMIT).length, SUMMARY_LIMIT);
  assert.equal(clip('  a\n\nb  ', 10), 'a b');
  const { annotations } = buildSecurityReport([finding({ message: long })], 'https://example.test/repo');
  assert.ok((annotations[0]?.summary ?? '').length <= SUMMARY_LIMIT);
});

test("on a pull request's source commit, the findings it introduces are annotated first", () => {
  const existing = finding({ severity: 'critical', prScope: 3, introduced: false });
  const introduced = finding({ severity: 'low', prScope: 3, introduced: true });
  const { annotations } = buildSecurityReport([existing, introduced], 'https://example.test/repo');
  assert.deepEqual(annotations.map((a) => a.externalId), [`remediate-security-${introduced.fingerprint}`, `remediate-security-${existing.fingerprint}`]);
});
