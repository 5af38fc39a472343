import { test } from 'node:test';
import assert from 'node:assert/strict';
import { triageFinding } from '../src/domain/triage/triage';
import { classifyPath } from '../src/domain/triage/path-kinds';
import type { NormalisedFinding } from '../src/domain/finding';
import { priorCounts, priorOf } from '../src/domain/triage/priors';

const base: NormalisedFinding = {
  fingerprint: 'fp',
  ruleId: 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load',
  tools: [{ name: 'Semgrep OSS' }],
  severity: 'high',
  cwes: ['CWE-502'],
  message: 'unsafe yaml',
  location: { path: 'app/config.py', startLine: 10 },
  snippet: 'return yaml.load(text)',
  precision: 'very-high',
};

test('a plain finding in source code is a true positive whose justification names file, line and code', () => {
  const result = triageFinding(base, { fixAvailable: true });
  assert.equal(result.verdict, 'true_positive');
  assert.match(result.justification, /app\/config\.py:10/);
  assert.match(result.justification, /yaml\.load\(text\)/);
  // The base is the deserialisation prior, shown as the first factor; the factors add up to the confidence.
  // Judged on the snippet only: no code evidence could set it aside, which costs 10.
  assert.deepEqual(result.factors.map((f) => f.id), ['prior', 'precision', 'fix-available', 'code-not-read', 'cap', 'code-snippet']);
  assert.match(result.factors[0]?.detail ?? '', /^Base: prior for deserialisation findings \(\d+ of \d+ such findings in the labelled sets were real\)/);
  assert.equal(result.factors[0]?.weight, priorOf(priorCounts.deserialisation));
  assert.equal(result.factors.reduce((sum, f) => sum + f.weight, 0), result.confidence);
  assert.equal(result.confidence, 99, 'capped: only a person is certain');
});

test('confidence rises with agreement and security-severity and falls without precision', () => {
  const agreed = triageFinding({ ...base, tools: [{ name: 'Semgrep OSS' }, { name: 'Bandit' }], securitySeverity: 8.1 }, { fixAvailable: true });
  assert.equal(agreed.confidence, 99);
  const sqlish = { ...base, ruleId: 'B105', cwes: ['CWE-259'], snippet: 'token = "x9Fq2LmZ"' };
  const lowPrecision = triageFinding({ ...sqlish, precision: 'low' }, { fixAvailable: false });
  const highPrecision = triageFinding({ ...sqlish, precision: 'high' }, { fixAvailable: false });
  assert.equal(lowPrecision.confidence, priorOf(priorCounts.secrets) - 10);
  assert.equal(highPrecision.confidence, Math.min(99, priorOf(priorCounts.secrets) + 22 - 10));
  const unknown = triageFinding({ ...base, precision: undefined }, { fixAvailable: false });
  assert.equal(unknown.confidence, priorOf(priorCounts.deserialisation) - 10);
  // With the file read and no request data reaching the sink, the verdict rests on the prior alone: held at 75, and the factor says so.
  const read = triageFinding({ ...base, precision: undefined }, { fixAvailable: false, code: 'import yaml\n\ndef load(text):\n    return yaml.load(text)', codeStartLine: 7 });
  assert.equal(read.confidence, Math.min(75, priorOf(priorCounts.deserialisation)));
  assert.ok(read.factors.some((f) => f.id === 'no-source-cap'), JSON.stringify(read.factors));
  assert.equal(read.factors.reduce((sum, f) => sum + f.weight, 0), read.confidence);
  // The same load of the request body: the evidence lifts the cap.
  const tainted = triageFinding({ ...base, precision: undefined }, { fixAvailable: false, code: 'import yaml\n\ndef load(request):\n    return yaml.load(request.body)', codeStartLine: 7 });
  assert.equal(tainted.confidence, Math.min(99, priorOf(priorCounts.deserialisation) + 10));
  assert.ok(!tainted.factors.some((f) => f.id === 'no-source-cap'));
});

test('test, vendored, generated and docs code is won\'t fix', () => {
  for (const path of ['tests/test_config.py', 'src/__tests__/a.test.ts', 'node_modules/x/index.js', 'static/js/jquery.min.js', 'docs/example.py']) {
    const result = triageFinding({ ...base, location: { path, startLine: 1 } }, { fixAvailable: true });
    assert.equal(result.verdict, 'wont_fix', path);
  }
  assert.equal(classifyPath('src/contest/app.py').kind, 'source');
  assert.equal(classifyPath('app/attestation.py').kind, 'source');
});

test('defusing code makes a false positive, naming the evidence', () => {
  const md5 = triageFinding({ ...base, ruleId: 'insecure-hash-algorithm-md5', snippet: 'hashlib.md5(data, usedforsecurity=False)' }, { fixAvailable: true });
  assert.equal(md5.verdict, 'false_positive');
  assert.match(md5.justification, /usedforsecurity=False/);
  assert.ok(md5.confidence >= 90);
  const safe = triageFinding({ ...base, snippet: 'yaml.load(text, Loader=yaml.SafeLoader)' }, { fixAvailable: true });
  assert.equal(safe.verdict, 'false_positive');
  const plain = triageFinding({ ...base, snippet: 'yaml.load(text, Loader=yaml.Loader)' }, { fixAvailable: true });
  assert.equal(plain.verdict, 'true_positive');
});

test('suppressed findings are kept with their justification', () => {
  const result = triageFinding({ ...base, suppression: { kind: 'inSource', justification: 'reviewed by security' } }, { fixAvailable: true });
  assert.equal(result.verdict, 'wont_fix');
  assert.match(result.justification, /reviewed by security/);
});

test('noisy rules are suspicious', () => {
  const result = triageFinding({ ...base, precision: undefined, ruleId: 'security/detect-object-injection', location: { path: 'src/a.js', startLine: 3 } }, { fixAvailable: false });
  assert.equal(result.verdict, 'suspicious');
  assert.ok(result.confidence < 60);
});
