/** Cross-scanner folding by rule class: two tools' rules for one problem on one line become one finding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { createDefaultRegistry } from '../src/domain/codemods/registry';

const demo = readFileSync(join(import.meta.dirname, '..', 'demo', 'vulnerable-app.sarif'), 'utf8');

test('without a classifier, the equivalence table folds Semgrep (CWE-502) and Bandit (CWE-20) on one yaml.load', () => {
  const log = normaliseLog(parseSarif(demo));
  const atLine10 = log.findings.filter((f) => f.location?.path === 'app/config_loader.py' && f.location.startLine === 10);
  assert.equal(atLine10.length, 1);
  assert.deepEqual(atLine10[0]?.weaknesses, ['unsafe-deserialization']);
});

test('without a classifier or a table entry, different CWEs of two scanners on one line stay apart', () => {
  const run = (tool: string, ruleId: string, cwe: string) => ({
    tool: { driver: { name: tool, rules: [{ id: ruleId, properties: { tags: [cwe] } }] } },
    results: [{ ruleId, message: { text: 'x' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.py' }, region: { startLine: 3 } } }] }],
  });
  const log = normaliseLog(parseSarif(JSON.stringify({ version: '2.1.0', runs: [run('ToolA', 'custom-a', 'CWE-22'), run('ToolB', 'custom-b', 'CWE-79')] })));
  assert.equal(log.findings.length, 2);
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

test('two rules of one tool naming one weakness fold; the same rule twice at one place stays two findings', () => {
  const registry = createDefaultRegistry();
  const eslint = (results: { ruleId: string; column: number }[]) => JSON.stringify({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'ESLint', rules: [...new Set(results.map((r) => r.ruleId))].map((id) => ({ id })) } },
      results: results.map(({ ruleId, column }) => ({
        ruleId,
        message: { text: `${ruleId} at ${column}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'a.js' }, region: { startLine: 3, startColumn: column } } }],
      })),
    }],
  });
  const folded = normaliseLog(parseSarif(eslint([{ ruleId: 'no-eval', column: 5 }, { ruleId: 'security/detect-eval-with-expression', column: 5 }])), { ruleClass: (finding) => registry.find(finding)[0]?.id });
  assert.equal(folded.findings.length, 1);
  assert.deepEqual(folded.findings[0]?.reports?.map((r) => r.ruleId), ['no-eval', 'security/detect-eval-with-expression']);
  const twice = normaliseLog(parseSarif(eslint([{ ruleId: 'no-eval', column: 5 }, { ruleId: 'no-eval', column: 20 }])), { ruleClass: (finding) => registry.find(finding)[0]?.id });
  assert.equal(twice.findings.length, 2);
});
