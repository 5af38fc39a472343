/** Policy grouping: which findings share a branch, and what the title names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../src/domain/finding';
import { defaultPolicy } from '../src/services/policy';
import { selectFixable } from '../src/services/pull-requests/select-fixable';
import { YAML_RULE } from './support/sarif';

const finding = (id: string, path: string, line: number, over: Partial<Finding> = {}): Finding => ({
  id,
  workspaceId: '{ws}',
  repoUuid: '{repo}',
  commit: 'a'.repeat(40),
  fingerprint: `${id}0123456789abcdef`,
  ruleId: YAML_RULE,
  tools: [{ name: 'Semgrep OSS' }],
  severity: 'high',
  cwes: ['CWE-502'],
  message: 'yaml.load',
  location: { path, startLine: line },
  status: 'open',
  verdict: 'true_positive',
  confidence: 90,
  justification: '',
  factors: [],
  firstSeenScanId: 's',
  lastSeenScanId: 's',
  createdAt: '',
  updatedAt: '',
  ...over,
});

const findings = [finding('f1', 'app/a.py', 3), finding('f2', 'app/a.py', 9), finding('f3', 'App/B File.py', 4)];
const branches = (grouping: typeof defaultPolicy.grouping) =>
  selectFixable(findings, { ...defaultPolicy, grouping }).map((g) => [g.branch, g.scope, g.findings.map((f) => f.id)]);

test('per-codemod (default): one branch for the codemod', () => {
  assert.deepEqual(branches('per-codemod'), [['remediate/pyyaml-safe-load', undefined, ['f1', 'f2', 'f3']]]);
});

test('per-file: one branch per file, safe for git, the scope is the path', () => {
  assert.deepEqual(branches('per-file'), [
    ['remediate/pyyaml-safe-load/app-a.py', 'app/a.py', ['f1', 'f2']],
    ['remediate/pyyaml-safe-load/app-b-file.py', 'App/B File.py', ['f3']],
  ]);
});

test('per-finding: one branch per fingerprint prefix, the scope is path:line', () => {
  assert.deepEqual(branches('per-finding'), [
    ['remediate/pyyaml-safe-load/f10123456789', 'app/a.py:3', ['f1']],
    ['remediate/pyyaml-safe-load/f20123456789', 'app/a.py:9', ['f2']],
    ['remediate/pyyaml-safe-load/f30123456789', 'App/B File.py:4', ['f3']],
  ]);
});

test('findings carried by a PR stay in their group; dismissed and fixed ones do not', () => {
  const groups = selectFixable(
    [finding('f1', 'a.py', 1, { status: 'fix_proposed' }), finding('f2', 'a.py', 2, { status: 'dismissed' }), finding('f3', 'a.py', 3, { status: 'fixed' })],
    defaultPolicy,
  );
  assert.deepEqual(groups.map((g) => g.findings.map((f) => f.id)), [['f1']]);
});

test('long keys keep their start and a hash, so two deep paths never share a branch', async () => {
  const { remediationBranch } = await import('../src/domain/pr/branch-name');
  const deep = (leaf: string) => `services/payments/internal/adapters/outbound/providers/legacy/${'x'.repeat(40)}/${leaf}.py`;
  const one = remediationBranch('pyyaml-safe-load', deep('one'));
  const two = remediationBranch('pyyaml-safe-load', deep('two'));
  assert.notEqual(one, two);
  assert.ok(one.length <= 'remediate/pyyaml-safe-load/'.length + 80, one);
  assert.match(one, /^remediate\/pyyaml-safe-load\/services-payments-internal-.*-[0-9a-f]{8}$/);
  assert.equal(remediationBranch('pyyaml-safe-load', 'app/a.py'), 'remediate/pyyaml-safe-load/app-a.py');
});
