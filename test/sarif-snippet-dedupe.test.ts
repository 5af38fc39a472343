/**
 * Snippet fingerprints and folding. The normaliser skips the fingerprint look-up for a snippet
 * fingerprint whose rule flags its file once (no other result of the upload can share it); these
 * cases pin down that exact duplicates still fold, near ones do not, and such a finding still folds
 * by place and weakness. Expected counts are written out by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseLog, parseSarif } from '../src/domain/sarif';

type Obj = Record<string, unknown>;
const hit = (ruleId: string, uri: string, startLine: number, snippet: string, extra: Obj = {}): Obj => ({
  ruleId, message: { text: `${ruleId} here` },
  locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine, snippet: { text: snippet } } } }],
  ...extra,
});
const run = (name: string, results: Obj[], rules: Obj[] = []): Obj => ({ tool: { driver: { name, rules } }, results });
const ingest = (...runs: Obj[]) => normaliseLog(parseSarif(JSON.stringify({ version: '2.1.0', runs })));

test('one rule flagging one snippet twice on one line folds; the same snippet in another file or by another rule does not', () => {
  const out = ingest(run('Tool', [
    hit('r1', 'src/a.js', 3, 'eval(x)'),
    hit('r1', 'src/a.js', 3, 'eval(x)'),
    hit('r1', 'src/b.js', 3, 'eval(x)'),
    hit('r2', 'src/b.js', 3, 'eval(x)'),
  ]));
  assert.deepEqual(out.counts, { results: 4, findings: 3, merged: 1, skipped: 0 });
  assert.deepEqual(out.findings.map((f) => [f.ruleId, f.location?.path]), [['r1', 'src/a.js'], ['r1', 'src/b.js'], ['r2', 'src/b.js']]);
});

test('the same snippet on two lines of one file by one rule stays two findings (occurrences 1 and 2)', () => {
  const out = ingest(run('Tool', [hit('r1', 'src/a.js', 3, 'eval(x)'), hit('r1', 'src/a.js', 9, 'eval(x)')]));
  assert.deepEqual(out.counts, { results: 2, findings: 2, merged: 0, skipped: 0 });
  assert.notEqual(out.findings[0]!.fingerprint, out.findings[1]!.fingerprint);
});

test('a finding whose rule flags its file once still folds by place and weakness with another scanner', () => {
  const cwe = (id: string) => ({ id, properties: { tags: ['external/cwe/cwe-95'] } });
  const out = ingest(
    run('First', [hit('eval-use', 'src/a.js', 3, 'eval(x)')], [cwe('eval-use')]),
    run('Second', [hit('no-eval', 'src/a.js', 3, 'eval(x);')], [cwe('no-eval')]),
  );
  assert.deepEqual(out.counts, { results: 2, findings: 1, merged: 1, skipped: 0 });
  assert.deepEqual(out.findings[0]!.tools.map((t) => t.name), ['First', 'Second']);
  assert.deepEqual(out.findings[0]!.aliases?.length, 1);
});
