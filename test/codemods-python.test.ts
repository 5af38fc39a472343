import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../src/domain/codemods/edits';
import { parseSource } from '../src/domain/codemods/parser';
import { pythonImportEdits } from '../src/domain/codemods/python/imports';
import { removeArgument } from '../src/domain/codemods/python/syntax';
import type { ImportRequest } from '../src/domain/codemods/types';

async function withImports(source: string, requests: ImportRequest[]): Promise<string> {
  const tree = await parseSource('python', source);
  try {
    return applyEdits(source, pythonImportEdits(tree.rootNode, source, requests));
  } finally {
    tree.delete();
  }
}

test('imports: a name joins an existing from-import, parenthesised or not', async () => {
  assert.equal(await withImports('from yaml import load\n', [{ module: 'yaml', name: 'safe_load' }]), 'from yaml import load, safe_load\n');
  assert.equal(
    await withImports('from yaml import (\n    dump,\n    load,\n)\n', [{ module: 'yaml', name: 'safe_load' }]),
    'from yaml import (\n    dump,\n    load, safe_load,\n)\n',
  );
});

test('imports: nothing is added twice', async () => {
  const source = 'from yaml import safe_load\nimport hashlib\n';
  assert.equal(await withImports(source, [{ module: 'yaml', name: 'safe_load' }, { module: 'hashlib' }]), source);
  assert.equal(
    await withImports('x = 1\n', [{ module: 'yaml', name: 'safe_load' }, { module: 'yaml', name: 'safe_load' }, { module: 'yaml', name: 'safe_load_all' }]),
    'from yaml import safe_load, safe_load_all\nx = 1\n',
  );
});

test('imports: a new line goes after the last import, keeping its trailing comment on its line', async () => {
  assert.equal(await withImports('import os  # os\nimport sys\n\nx = 1\n', [{ module: 'hashlib' }]), 'import os  # os\nimport sys\nimport hashlib\n\nx = 1\n');
});

test('imports: a new line goes into the import block at the top, not after a late import further down', async () => {
  const body = Array.from({ length: 40 }, (_, i) => `def f${i}():\n    return ${i}\n`).join('\n');
  const source = `"""Views."""\nimport os\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n\nSETTINGS = {}\n\n${body}\nfrom .signals import *  # noqa\n`;
  const fixed = await withImports(source, [{ module: 'hashlib' }]);
  assert.equal(fixed, source.replace('    import json\n', '    import json\nimport hashlib\n'));
  assert.ok(fixed.indexOf('import hashlib') < fixed.indexOf('SETTINGS'), 'before the first module-level statement');
});

test('imports: with no imports, after the shebang, comments and docstring', async () => {
  assert.equal(
    await withImports('#!/usr/bin/env python\n"""Doc."""\n# note\nx = 1\n', [{ module: 'hashlib' }]),
    '#!/usr/bin/env python\n"""Doc."""\n# note\nimport hashlib\nx = 1\n',
  );
  assert.equal(await withImports('"""Doc only."""', [{ module: 'hashlib' }]), '"""Doc only."""\nimport hashlib\n');
  assert.equal(await withImports('', [{ module: 'hashlib' }]), 'import hashlib\n');
});

async function withoutLoader(source: string): Promise<string> {
  const tree = await parseSource('python', source);
  try {
    const arg = tree.rootNode.descendantsOfType('keyword_argument')[0]!;
    return applyEdits(source, removeArgument(arg, source));
  } finally {
    tree.delete();
  }
}

test('removing an argument keeps the rest of the call and its comments intact', async () => {
  assert.equal(await withoutLoader('f(x, Loader=L)\n'), 'f(x)\n');
  assert.equal(await withoutLoader('f(x, Loader=L,)\n'), 'f(x,)\n');
  assert.equal(await withoutLoader('f(Loader=L, x=1)\n'), 'f(x=1)\n');
  assert.equal(await withoutLoader('f(\n    x,\n    Loader=L,  \n)\n'), 'f(\n    x,\n)\n');
  assert.equal(await withoutLoader('f(x,  # keep me\n  Loader=L)\n'), 'f(x  # keep me\n  )\n');
  assert.equal(await withoutLoader('f(x, Loader=L)\r\n'), 'f(x)\r\n');
});
