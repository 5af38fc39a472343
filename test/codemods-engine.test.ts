import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { fixFile, type FileFinding } from '../src/domain/codemods/engine';
import { CodemodRegistry } from '../src/domain/codemods/registry';
import { pyyamlSafeLoad } from '../src/domain/codemods/catalogue/pyyaml-safe-load';
import type { Codemod, FixContext, FixOutcome } from '../src/domain/codemods/types';

const PATH = 'svc/loader.py';

function finding(id: string, startLine: number, extra: Partial<FileFinding['location']> & { ruleId?: string } = {}): FileFinding {
  const { ruleId = 'B506', ...location } = extra;
  return { id, ruleId, cwes: ['CWE-502'], location: { path: PATH, startLine, ...location } };
}

test('two yaml.load calls on one line: refuses to guess and edits nothing', async () => {
  const content = 'import yaml\na = yaml.load(x); b = yaml.load(y)\n';
  const result = await fixFile({ path: PATH, content, findings: [finding('f1', 2)] });
  assert.equal(result.content, content);
  assert.equal(result.diff, '');
  assert.deepEqual(result.fixed, []);
  assert.deepEqual(result.unfixed, [{ findingId: 'f1', reason: '2 candidates (call to yaml.load) on line 2; refusing to guess' }]);
});

test('a column inside one of two calls on a line names it, even after non-ASCII text', async () => {
  const content = 'import yaml\ns = "😀 é"; a = yaml.load(x); b = yaml.load(y)\n';
  const column = content.split('\n')[1]!.indexOf('yaml.load(y)') + 1; // SARIF columns: 1-based UTF-16 units
  const result = await fixFile({ path: PATH, content, findings: [finding('f1', 2, { startColumn: column })] });
  assert.equal(result.content, 'import yaml\ns = "😀 é"; a = yaml.load(x); b = yaml.safe_load(y)\n');
});

test('no candidate on the line gives a reason naming the line', async () => {
  const content = 'import yaml\n\n\nx = 1\n';
  const result = await fixFile({ path: PATH, content, findings: [finding('f1', 4)] });
  assert.deepEqual(result.unfixed, [{ findingId: 'f1', reason: 'no call to yaml.load on line 4' }]);
});

test('CRLF line endings and comments survive, and a new import line uses CRLF', async () => {
  const content = [
    '# -*- coding: utf-8 -*-',
    'import os  # the OS',
    '',
    'def read(s):',
    '    from yaml import load  # local import',
    '    # parse it',
    '    return load(s)  # trailing comment',
    '',
  ].join('\r\n');
  const result = await fixFile({ path: PATH, content, findings: [finding('f1', 7)] });
  assert.deepEqual(result.unfixed, []);
  assert.equal(
    result.content,
    [
      '# -*- coding: utf-8 -*-',
      'import os  # the OS',
      'from yaml import safe_load',
      '',
      'def read(s):',
      '    from yaml import load  # local import',
      '    # parse it',
      '    return safe_load(s)  # trailing comment',
      '',
    ].join('\r\n'),
  );
  assert.equal(result.content.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF introduced');
});

test('several findings: non-overlapping fixes applied together, a shared import added once', async () => {
  const content = 'from yaml import load\nimport hashlib\n\na = load(x)\nb = load(y)\nh = hashlib.md5(z)\n';
  const findings = [finding('a', 4), finding('b', 5), { ...finding('h', 6, { ruleId: 'B324' }), cwes: ['CWE-328'] }];
  const result = await fixFile({ path: PATH, content, findings });
  assert.equal(result.content, 'from yaml import load, safe_load\nimport hashlib\n\na = safe_load(x)\nb = safe_load(y)\nh = hashlib.sha256(z)\n');
  assert.deepEqual(result.fixed, ['a', 'b', 'h']);
  assert.deepEqual(result.changes.map((c) => [c.findingId, c.codemodId, c.line]), [
    ['a', 'pyyaml-safe-load', 4],
    ['b', 'pyyaml-safe-load', 5],
    ['h', 'weak-hash-sha256', 6],
  ]);
});

test('two findings on the same node are fixed once and both count as fixed', async () => {
  const content = 'import yaml\ndata = yaml.load(body)\n';
  const findings = [finding('bandit', 2), finding('codeql', 2, { ruleId: 'py/unsafe-deserialization', startColumn: 18 })];
  const result = await fixFile({ path: PATH, content, findings });
  assert.equal(result.content, 'import yaml\ndata = yaml.safe_load(body)\n');
  assert.deepEqual(result.fixed, ['bandit', 'codeql']);
  assert.equal(result.changes.length, 2);
});

test('the diff is unified with a/ b/ headers', async () => {
  const content = 'import yaml\ndata = yaml.load(body)\n';
  const { diff } = await fixFile({ path: PATH, content, findings: [finding('f1', 2)] });
  assert.ok(diff.startsWith(`diff --git a/${PATH} b/${PATH}\n--- a/${PATH}\n+++ b/${PATH}\n@@ -1,2 +1,2 @@\n`), diff);
  assert.ok(diff.includes('\n-data = yaml.load(body)\n+data = yaml.safe_load(body)\n'));
});

test('an unrelated syntax error elsewhere does not block a fix', async () => {
  const content = 'import yaml\ndata = yaml.load(body)\ndef broken(:\n    pass\n';
  const result = await fixFile({ path: PATH, content, findings: [finding('f1', 2)] });
  assert.deepEqual(result.fixed, ['f1']);
});

test('unknown file types, unknown rules and mislocated findings are reported, not guessed', async () => {
  const odd = await fixFile({ path: 'README.md', content: '# hi\n', findings: [{ ...finding('f1', 1), location: { path: 'README.md', startLine: 1 } }] });
  assert.match(odd.unfixed[0]?.reason ?? '', /unknown file type/);
  const rule = await fixFile({ path: PATH, content: 'x = 1\n', findings: [{ ...finding('f2', 1, { ruleId: 'B999' }), cwes: [] }] });
  assert.deepEqual(rule.unfixed, [{ findingId: 'f2', reason: 'no codemod handles rule B999' }]);
  const elsewhere = await fixFile({ path: PATH, content: 'x = 1\n', findings: [{ ...finding('f3', 1), location: { path: 'other.py', startLine: 1 } }] });
  assert.match(elsewhere.unfixed[0]?.reason ?? '', /other\.py/);
});

/** A test-only codemod: pyyaml's detector with a deliberately wrong fix. */
function broken(id: string, fix: (ctx: FixContext) => FixOutcome): Codemod {
  return { ...pyyamlSafeLoad, id, ruleIds: { generic: ['test-rule'] }, fix };
}

const brokenCases: { name: string; codemod: Codemod; reason: RegExp }[] = [
  {
    name: 'a fix that breaks the syntax',
    codemod: broken('breaks-syntax', ({ node }) => ({ edits: [{ start: node.endIndex - 1, end: node.endIndex, text: '' }], description: 'drops the )' })),
    reason: /^verification failed: the fixed file has \d+ new syntax error\(s\)$/,
  },
  {
    name: 'a fix that is not idempotent',
    codemod: broken('not-idempotent', ({ node }: { node: Node }) => ({ edits: [{ start: node.endIndex, end: node.endIndex, text: ' or {}' }], description: 'appends' })),
    reason: /^verification failed: not-idempotent would change line 2 again \(not idempotent\)$/,
  },
  {
    name: 'a fix after which the detector still flags the place',
    codemod: broken('still-flagged', (ctx) => {
      const outcome = pyyamlSafeLoad.fix(ctx);
      if (!('edits' in outcome)) return outcome; // on the second pass: "custom Loader", not safe
      const args = ctx.node.childForFieldName('arguments')!;
      return { edits: [{ start: args.endIndex - 1, end: args.endIndex - 1, text: ', Loader=MyLoader' }], description: 'custom loader' };
    }),
    reason: /^verification failed: the call to yaml.load on line 2 is still flagged after the fix \(.*custom Loader/,
  },
];

for (const { name, codemod, reason } of brokenCases) {
  test(`verification drops ${name}`, async () => {
    const registry = new CodemodRegistry([codemod]);
    const content = 'import yaml\ndata = yaml.load(body)\n';
    const result = await fixFile({ path: PATH, content, findings: [{ ...finding('f1', 2, { ruleId: 'test-rule' }) }] }, { registry });
    assert.equal(result.content, content);
    assert.equal(result.diff, '');
    assert.deepEqual(result.fixed, []);
    assert.equal(result.unfixed.length, 1);
    assert.match(result.unfixed[0]!.reason, reason);
  });
}

test('a broken codemod does not take good fixes in the same file down with it', async () => {
  const registry = new CodemodRegistry([
    broken('breaks-syntax', ({ node }) => ({ edits: [{ start: node.startIndex, end: node.endIndex, text: '(((' }], description: 'x' })),
    { ...pyyamlSafeLoad, ruleIds: { generic: ['good-rule'] } },
  ]);
  const content = 'import yaml\na = yaml.load(x)\nb = yaml.load(y)\n';
  const findings = [finding('bad', 2, { ruleId: 'test-rule' }), finding('good', 3, { ruleId: 'good-rule' })];
  const result = await fixFile({ path: PATH, content, findings }, { registry });
  assert.equal(result.content, 'import yaml\na = yaml.load(x)\nb = yaml.safe_load(y)\n');
  assert.deepEqual(result.fixed, ['good']);
  assert.match(result.unfixed[0]?.reason ?? '', /^verification failed/);
});

test('a codemod that throws is reported against its finding, not thrown', async () => {
  const registry = new CodemodRegistry([broken('throws', () => { throw new Error('boom'); })]);
  const content = 'import yaml\ndata = yaml.load(body)\n';
  const result = await fixFile({ path: PATH, content, findings: [finding('f1', 2, { ruleId: 'test-rule' })] }, { registry });
  assert.equal(result.content, content);
  assert.deepEqual(result.unfixed, [{ findingId: 'f1', reason: 'throws failed: boom' }]);
});
