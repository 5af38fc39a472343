import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DESCRIPTION_CHARS, pullRequestDescription, pullRequestTitle, type PrContent } from '../src/domain/pr/description';
import { remediationBranch } from '../src/domain/pr/branch-name';
import type { Finding } from '../src/domain/finding';

const finding = (n: number): Finding => ({
  id: `f${n}`,
  workspaceId: '{ws}',
  repoUuid: '{repo}',
  commit: 'a'.repeat(40),
  fingerprint: `fp-${n}`,
  ruleId: 'avoid-pyyaml-load',
  tools: [{ name: 'Semgrep OSS', version: '1.95.0' }, { name: 'Bandit' }],
  severity: 'high',
  cwes: ['CWE-502'],
  message: 'Detected `yaml.load` <script> | pipes',
  location: { path: `app/mod ${n}.py`, startLine: 10 + n },
  status: 'open',
  verdict: 'true_positive',
  confidence: 90,
  justification: 'Semgrep OSS reports it in source code.',
  factors: [{ id: 'precision', weight: 30, detail: "The rule's precision is very-high." }],
  firstSeenScanId: 's',
  lastSeenScanId: 's',
  createdAt: '',
  updatedAt: '',
});

const content = (count: number): PrContent => ({
  codemod: {
    id: 'pyyaml-safe-load',
    title: 'Use yaml.safe_load',
    summary: 'Load YAML safely',
    description: 'yaml.load can build any Python object.',
    reviewGuidance: 'Safe to merge after the build passes.',
    references: [{ title: 'PyYAML docs', url: 'https://pyyaml.org/wiki/PyYAMLDocumentation' }],
  },
  findings: Array.from({ length: count }, (_, i) => finding(i)),
  files: [{ path: 'app/mod 0.py', linesAdded: 1, linesRemoved: 1 }],
  repositoryWebUrl: 'https://bitbucket.org/acme/app',
  commit: 'a'.repeat(40),
  scanId: 'scan-1',
});

test('the description carries finding context, fix, verdict, justification and confidence', () => {
  const body = pullRequestDescription(content(1));
  assert.match(body, /yaml\.load can build any Python object/);
  assert.match(body, /True positive, confidence 90\/100\. Semgrep OSS reports it in source code\./);
  // The factors add up to the confidence: a finding stored with an unstated base gets it shown (90 - 30).
  assert.match(body, /Confidence factors:\*\* Base: the starting confidence of this verdict when it was triaged \(not recorded separately then\)\. \(\+60\); The rule's precision is very-high\. \(\+30\) = 90/);
  assert.match(body, /\[CWE-502\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/502\.html\)/);
  assert.match(body, /\[app\/mod 0\.py:10\]\(https:\/\/bitbucket\.org\/acme\/app\/src\/a{40}\/app\/mod%200\.py#lines-10\)/);
  assert.match(body, /Reported by:\*\* Semgrep OSS 1\.95\.0 \(rule `avoid-pyyaml-load`\); Bandit \(rule `avoid-pyyaml-load`\)/);
  assert.match(body, /Decline this pull request/);
  assert.doesNotMatch(body, /<details>/);
  assert.match(body, /\\<script\\>/, 'scanner text is escaped');
  assert.match(body, /<!-- remediate:state \{"app":"remediate","codemod":"pyyaml-safe-load","scan":"scan-1","fingerprints":\["fp-0"\]/);
  assert.equal(pullRequestTitle(content(1)), 'Remediate: Use yaml.safe_load (1 finding in 1 file)');
});

test('a huge description is truncated under the limit and says so', () => {
  const big = content(1);
  big.findings = Array.from({ length: 400 }, (_, i) => ({ ...finding(i), message: 'x'.repeat(1000), justification: 'y'.repeat(1000) }));
  const body = pullRequestDescription(big);
  assert.ok(body.length <= MAX_DESCRIPTION_CHARS, String(body.length));
  assert.match(body, /more findings? not shown/);
});

test('branch names are stable and safe', () => {
  assert.equal(remediationBranch('pyyaml-safe-load'), 'remediate/pyyaml-safe-load');
  assert.equal(remediationBranch('weak-hash', 'src/App Main.py'), 'remediate/weak-hash/src-app-main.py');
});
