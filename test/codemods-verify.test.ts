/**
 * The engine's speed-ups must not change what it sees: the incrementally re-parsed fixed file is the tree a
 * full parse gives, and the shared root answers `descendantsOfType` exactly as the real root does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../src/domain/codemods/edits';
import { loadLanguage, parseWith } from '../src/domain/codemods/parser';
import { sharedRoot } from '../src/domain/codemods/shared-root';
import { reparse } from '../src/domain/codemods/verify';
import type { TextEdit } from '../src/domain/codemods/types';
import { fixFile } from '../src/domain/codemods/engine';
import { CodemodRegistry, createDefaultRegistry } from '../src/domain/codemods/registry';
import { pyyamlSafeLoad } from '../src/domain/codemods/catalogue/pyyaml-safe-load';

const SOURCE = [
  '# café ☕ — non-ASCII before the edits',
  'import hashlib, yaml',
  'def token(x):  # 🎉',
  '    return hashlib.md5(x).hexdigest()',
  '',
  'cfg = yaml.load(open("a"), Loader=yaml.Loader)\r',
  'print("ü", token(b"1"))',
  '',
].join('\n');

function at(needle: string): number {
  const i = SOURCE.indexOf(needle);
  assert.notEqual(i, -1, needle);
  return i;
}

test('an incremental re-parse after several edits (inserts, deletes, multi-line, non-ASCII) equals a full parse', async () => {
  const python = await loadLanguage('python');
  const original = parseWith(python, SOURCE);
  const edits: TextEdit[] = [
    { start: at('md5'), end: at('md5') + 3, text: 'sha256' },
    { start: at(', Loader=yaml.Loader'), end: at(', Loader=yaml.Loader') + ', Loader=yaml.Loader'.length, text: '' },
    { start: at('load(open'), end: at('load(open') + 4, text: 'safe_load' },
    { start: at('print'), end: at('print'), text: 'if True:\n    pass  # ✓ two\n' },
    { start: SOURCE.length, end: SOURCE.length, text: 'x = "é"\n' },
  ];
  const fixed = applyEdits(SOURCE, edits);
  const incremental = reparse(python, original, SOURCE, edits, fixed);
  const full = parseWith(python, fixed);
  try {
    assert.equal(incremental.rootNode.toString(), full.rootNode.toString());
    const calls = (root: typeof full.rootNode) => root.descendantsOfType('call').map((c) => `${c?.startIndex}:${c?.endIndex}:${c?.startPosition.row}:${c?.startPosition.column}:${c?.text}`);
    assert.deepEqual(calls(incremental.rootNode), calls(full.rootNode));
    assert.equal(original.rootNode.text, SOURCE, 'the original tree is left as it was');
  } finally {
    for (const tree of [original, incremental, full]) tree.delete();
  }
});

test('the shared root answers descendantsOfType like the real root, once per type list, as copies', async () => {
  const tree = parseWith(await loadLanguage('python'), SOURCE);
  try {
    const real = tree.rootNode;
    const shared = sharedRoot(real);
    const ids = (nodes: ReturnType<typeof real.descendantsOfType>) => nodes.map((n) => n?.id);
    assert.deepEqual(ids(shared.descendantsOfType('call')), ids(real.descendantsOfType('call')));
    assert.deepEqual(ids(shared.descendantsOfType(['import_statement', 'call'])), ids(real.descendantsOfType(['import_statement', 'call'])));
    const first = shared.descendantsOfType('call');
    first.pop();
    assert.equal(shared.descendantsOfType('call').length, first.length + 1, 'a caller changing its copy does not change the next answer');
    assert.equal(shared.type, 'module');
    assert.equal(shared.namedChildren.length, real.namedChildren.length);
    assert.equal(shared.text, SOURCE);
  } finally {
    tree.delete();
  }
});

test('a codemod returning a malformed edit is reported against its finding, never thrown out of fixFile', async () => {
  const broken = { ...pyyamlSafeLoad, id: 'broken', fix: () => ({ edits: [{ start: 0, end: 1, text: undefined as unknown as string }], description: 'x' }) };
  const content = 'import yaml\nyaml.load(s)\n';
  const result = await fixFile(
    { path: 'a.py', content, findings: [{ id: 'f', ruleId: 'B506', cwes: [], location: { path: 'a.py', startLine: 2 } }] },
    { registry: new CodemodRegistry([broken]) },
  );
  assert.equal(result.content, content);
  assert.match(result.unfixed[0]?.reason ?? '', /broken failed: it returned a malformed edit/);
});

test('a call named like an Object.prototype member is no candidate (constructor(x), toString(x))', async () => {
  const content = 'import yaml\nconstructor(x)\ntoString(y)\n';
  const tree = parseWith(await loadLanguage('python'), content);
  try {
    for (const codemod of createDefaultRegistry().all().filter((c) => c.languages.includes('python'))) {
      for (const node of codemod.candidates(sharedRoot(tree.rootNode), 'python')) {
        const outcome = codemod.fix({ node, root: tree.rootNode, source: content, language: 'python', path: 'a.py' });
        if ('edits' in outcome) for (const edit of outcome.edits) assert.equal(typeof edit.text, 'string', codemod.id);
      }
    }
  } finally {
    tree.delete();
  }
});
