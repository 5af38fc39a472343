/**
 * The category of a set-aside verdict and factors that add up travel from triage to what people
 * see: the findings list and detail (resolvers), the Code Insights report text and the pull request
 * description. Driven through the web trigger and the scan job against the emulator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpWorkspace, startHarness, type Harness } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding, YAML_RULE } from './support/sarif';
import { buildSecurityReport } from '../src/services/insights/report-content';
import type { Finding } from '../src/domain/finding';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

interface Item { id: string; path?: string; verdict: string; category?: string; confidence: number }
interface Detail extends Item { factors: { id: string; weight: number; detail: string }[] }

test('listFindings and getFinding show why a finding was set aside, and the detail factors add up to the confidence from a shown base', async () => {
  const files = { ...vulnerablePython, 'tests/test_loader.py': 'import yaml\n\n\ndef test_load():\n    assert yaml.load("a: 1")\n' };
  const ws = await setUpWorkspace(h, 'category-ws', files);
  const inTest = { ...yamlFinding(), path: 'tests/test_loader.py', snippet: '    assert yaml.load("a: 1")' };
  const upload = await h.upload({ repository: 'category-ws/app', commit: ws.commit }, sarifLog([yamlFinding(), inTest]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202);
  await h.host.app.queue.idle();
  const list = await h.invoke<{ items: Item[] }>('listFindings', {}, ws.repoContext);
  const items = list.data?.items ?? [];
  const test = items.find((i) => i.path === 'tests/test_loader.py');
  const real = items.find((i) => i.path === 'loader.py');
  assert.equal(test?.verdict, 'wont_fix');
  assert.equal(test?.category, 'test_code');
  assert.equal(real?.verdict, 'true_positive');
  assert.equal(real?.category, undefined, 'a true positive is not set aside');
  for (const item of [test, real]) {
    const detail = await h.invoke<Detail>('getFinding', { id: item?.id }, ws.repoContext);
    assert.ok(detail.data);
    assert.equal(detail.data.factors.reduce((sum, f) => sum + f.weight, 0), detail.data.confidence, `${item?.path}: factors add up`);
    assert.match(detail.data.factors[0]?.detail ?? '', /^Base: /);
  }
});

test('the Code Insights report text says why findings were set aside', () => {
  const finding = (category: Finding['category'], verdict: Finding['verdict']): Finding => ({
    id: `${category}`, workspaceId: 'w', repoUuid: 'r', commit: 'c', status: 'open', verdict, confidence: 85, justification: 'j', factors: [],
    ...(category ? { category } : {}), firstSeenScanId: 's', lastSeenScanId: 's', createdAt: 't', updatedAt: 't',
    fingerprint: `fp-${category}-${verdict}`, ruleId: YAML_RULE, tools: [{ name: 'Semgrep OSS' }], severity: 'high', cwes: [], message: 'm',
  });
  const report = buildSecurityReport([finding('test_code', 'wont_fix'), finding('not_security', 'false_positive'), finding('test_code', 'wont_fix'), finding(undefined, 'true_positive')], 'https://example.test/page');
  assert.match(report.report.details ?? '', /Set aside as test code \(2\), no security impact here \(1\)\./);
});
