/** The normaliser's bounds (src/domain/sarif/README.md, "Bounds") on the pure functions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { fillPlaceholders, formatMessage } from '../src/domain/sarif/message';
import { sarifLog, yamlFinding } from './support/sarif';

const logWith = (edit: (log: any) => void): any => {
  const log = JSON.parse(sarifLog([yamlFinding()]));
  edit(log);
  return log;
};

test('a message template of many placeholders and a long argument is filled only up to its bound', () => {
  const template = '{0}'.repeat(5_000);
  const argument = 'x'.repeat(2_000);
  const start = performance.now();
  let cut = 0;
  const text = formatMessage({ id: 'm', arguments: [argument] }, { m: { text: template } }, undefined, 4_000, () => cut++);
  assert.ok(performance.now() - start < 50, 'no 10-million-character string was built');
  assert.equal(text.length, 4_000);
  assert.equal(cut, 1);
  assert.equal(fillPlaceholders('{0} and {{1}} and {3}', ['a']), 'a and {1} and {3}');
});

test('more than 100 runs are refused with 413; 100 are read', () => {
  const run = logWith(() => {}).runs[0];
  assert.throws(() => parseSarif(JSON.stringify({ version: '2.1.0', runs: Array.from({ length: 101 }, () => run) })), (error: any) => error.code === 'payload_too_large' && /101 runs/.test(error.message));
  assert.equal(normaliseLog(parseSarif(JSON.stringify({ version: '2.1.0', runs: Array.from({ length: 100 }, () => run) }))).counts.results, 100);
});

test('identity fields of a run are refused naming their JSON path; the value is not echoed', () => {
  const cases: [string, (log: any) => void][] = [
    ['runs[0].tool.driver.semanticVersion', (log) => (log.runs[0].tool.driver.semanticVersion = '1'.repeat(300))],
    ['runs[0].originalUriBaseIds.SRCROOT.uri', (log) => (log.runs[0].originalUriBaseIds = { SRCROOT: { uri: `file:///${'a/'.repeat(2_000)}` } })],
    ['runs[0].invocations[0].workingDirectory.uri', (log) => (log.runs[0].invocations = [{ workingDirectory: { uri: `file:///${'w'.repeat(3_000)}` } }])],
  ];
  for (const [path, edit] of cases) {
    assert.throws(() => normaliseLog(logWith(edit)), (error: any) => error.code === 'invalid_sarif' && error.message.startsWith(`${path}: `) && error.message.length < 200, path);
  }
});

test('a rule id over 256 characters skips its result, also when it comes from the rule the index points at', () => {
  const out = normaliseLog(logWith((log) => {
    const long = 'r'.repeat(257);
    log.runs[0].tool.driver.rules.push({ id: long });
    log.runs[0].results.push({ ...log.runs[0].results[0], ruleId: undefined, ruleIndex: 1 });
  }));
  assert.deepEqual(out.skipped, [{ index: 1, reason: 'rule id longer than 256 characters', count: 1 }]);
  assert.equal(out.findings.length, 1);
});

test('a code-flow step message is cut at 300 characters and counted', () => {
  const out = normaliseLog(logWith((log) => {
    const step = { location: { physicalLocation: { artifactLocation: { uri: 'app.py' }, region: { startLine: 1 } }, message: { text: 's'.repeat(1_000) } } };
    log.runs[0].results[0].codeFlows = [{ threadFlows: [{ locations: [step, step] }] }];
  }));
  assert.equal(out.findings[0]?.codeFlow?.[0]?.message?.length, 300);
  assert.deepEqual(out.trimmed, [{ field: 'step message', max: 300, count: 2, index: 0 }]);
});

test('an upload of more than 16 distinct tools lists the first 16 on the scan and counts the rest', () => {
  const run = logWith(() => {}).runs[0];
  const runs = Array.from({ length: 20 }, (_, i) => ({ ...run, tool: { driver: { ...run.tool.driver, name: `tool-${i}` } } }));
  const out = normaliseLog(parseSarif(JSON.stringify({ version: '2.1.0', runs })));
  assert.equal(out.tools.length, 16);
  assert.deepEqual(out.trimmed, [{ field: 'tools', max: 16, count: 4, index: 20 }]);
  assert.equal(new Set(out.findings.flatMap((f) => f.tools.map((t) => t.name))).size, 20, 'each finding keeps its own tool');
});
