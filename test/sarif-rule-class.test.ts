/** Cross-scanner folding by rule class: two tools' rules for one problem on one line become one finding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { createDefaultRegistry } from '../src/domain/codemods/registry';

const demo = readFileSync(join(import.meta.dirname, '..', 'demo', 'vulnerable-app.sarif'), 'utf8');

test('without a classifier, Semgrep (CWE-502) and Bandit (CWE-20) yaml.load stay apart', () => {
  const log = normaliseLog(parseSarif(demo));
  const atLine10 = log.findings.filter((f) => f.location?.path === 'app/config_loader.py' && f.location.startLine === 10);
  assert.equal(atLine10.length, 2);
});

test('with the codemod registry as classifier they fold into one finding listing both tools', () => {
  const registry = createDefaultRegistry();
  const log = normaliseLog(parseSarif(demo), { ruleClass: (finding) => registry.find(finding)[0]?.id });
  const atLine10 = log.findings.filter((f) => f.location?.path === 'app/config_loader.py' && f.location.startLine === 10);
  assert.equal(atLine10.length, 1);
  assert.deepEqual(atLine10[0]?.tools.map((t) => t.name).sort(), ['Bandit', 'Semgrep OSS']);
  assert.deepEqual(atLine10[0]?.cwes, ['CWE-20', 'CWE-502']);
  assert.equal(log.counts.results, log.counts.findings + log.counts.merged + log.counts.skipped);
  assert.equal(log.counts.merged, 2);
});

test('a class never folds two results of the same tool', () => {
  const registry = createDefaultRegistry();
  const twoSemgrepRules = JSON.stringify({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Semgrep OSS', rules: [{ id: 'avoid-pyyaml-load' }, { id: 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load' }] } },
      results: ['avoid-pyyaml-load', 'python.lang.security.deserialization.avoid-pyyaml-load.avoid-pyyaml-load'].map((ruleId) => ({
        ruleId,
        message: { text: 'yaml' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'a.py' }, region: { startLine: 3 } } }],
      })),
    }],
  });
  const log = normaliseLog(parseSarif(twoSemgrepRules), { ruleClass: (finding) => registry.find(finding)[0]?.id });
  assert.equal(log.findings.length, 2);
});
