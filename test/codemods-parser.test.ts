import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { languageForPath, languageIds, loadLanguage, locateWasm, parseSource, wasmFiles } from '../src/domain/codemods/parser';
import { countSyntaxErrors } from '../src/domain/codemods/edits';

test('languages are chosen by extension', () => {
  assert.equal(languageForPath('a/b/c.py'), 'python');
  assert.equal(languageForPath('x.MJS'), 'javascript');
  assert.equal(languageForPath('x.jsx'), 'javascript');
  assert.equal(languageForPath('x.d.ts'), 'typescript');
  assert.equal(languageForPath('x.tsx'), 'tsx');
  assert.equal(languageForPath('src/Main.java'), 'java');
  assert.equal(languageForPath('.py'), undefined);
  assert.equal(languageForPath('Makefile'), undefined);
  assert.equal(languageForPath('notes.md'), undefined);
});

test('every grammar loads once and parses without errors', async () => {
  const samples = {
    python: 'def f(x):\n    return x\n',
    javascript: 'const f = (x) => <b>{x}</b>;\n',
    typescript: 'const f = (x: number): number => x;\n',
    tsx: 'const f = (x: number) => <b>{x}</b>;\n',
    java: 'class A { int f(int x) { return x; } }\n',
  } as const;
  for (const id of languageIds) {
    assert.equal(await loadLanguage(id), await loadLanguage(id), `${id} is cached`);
    const tree = await parseSource(id, samples[id]);
    assert.equal(countSyntaxErrors(tree.rootNode), 0, id);
    tree.delete();
  }
});

test('node offsets are string (UTF-16) indices, also after non-ASCII text', async () => {
  const source = '# ünïcödé 😀 — ✓\nvalue = yaml.load(s)\n';
  const tree = await parseSource('python', source);
  const call = tree.rootNode.descendantsOfType('call')[0]!;
  assert.equal(call.startIndex, source.indexOf('yaml.load'));
  assert.equal(source.slice(call.startIndex, call.endIndex), 'yaml.load(s)');
  assert.deepEqual(call.startPosition, { row: 1, column: 8 });
  tree.delete();
  const same = await parseSource('python', 'x = "😀😀"; y = f(1)\n');
  const f = same.rootNode.descendantsOfType('call')[0]!;
  assert.equal(f.startPosition.column, 'x = "😀😀"; y = '.length, 'columns count UTF-16 code units too');
  same.delete();
});

test('every .wasm file a bundle ships is found in node_modules from the source tree', () => {
  const files = wasmFiles();
  assert.deepEqual(files.map((f) => f.file).sort(), [
    'tree-sitter-java.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm',
    'tree-sitter-tsx.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter.wasm',
  ]);
  for (const { file, specifier } of files) {
    const path = locateWasm(file, specifier);
    assert.ok(path !== undefined && existsSync(path), file);
  }
});
