/** JavaScript/TypeScript and Java imports added by the engine: once, in the file's style. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../src/domain/codemods/edits';
import { javaImportEdits } from '../src/domain/codemods/java/imports';
import { jsImportEdits } from '../src/domain/codemods/js/imports';
import { parseSource, type LanguageId } from '../src/domain/codemods/parser';
import type { ImportRequest } from '../src/domain/codemods/types';

async function withImports(language: LanguageId, source: string, requests: ImportRequest[], path = 'src/a.js'): Promise<string> {
  const tree = await parseSource(language, source);
  try {
    const edits = language === 'java' ? javaImportEdits(tree.rootNode, source, requests) : jsImportEdits(tree.rootNode, source, path, requests);
    return typeof edits === 'string' ? `REFUSED: ${edits}` : applyEdits(source, edits);
  } finally {
    tree.delete();
  }
}

const randomInt: ImportRequest = { module: 'crypto', name: 'randomInt' };

test('js: a name joins an existing named import or require destructuring of the same module', async () => {
  assert.equal(await withImports('javascript', "import { createHash } from 'node:crypto';\n", [randomInt]), "import { createHash, randomInt } from 'node:crypto';\n");
  assert.equal(await withImports('javascript', 'const { createHash } = require("crypto")\n', [randomInt]), 'const { createHash, randomInt } = require("crypto")\n');
});

test('js: ESM files get an import line, CommonJS files a require, after the last one, with their quotes and semicolons', async () => {
  assert.equal(
    await withImports('javascript', 'import fs from "fs"\n\nexport const x = 1\n', [randomInt]),
    'import fs from "fs"\nimport { randomInt } from "crypto"\n\nexport const x = 1\n',
  );
  assert.equal(
    await withImports('javascript', "'use strict';\nconst fs = require('fs');\nmodule.exports = {};\n", [randomInt]),
    "'use strict';\nconst fs = require('fs');\nconst { randomInt } = require('crypto');\nmodule.exports = {};\n",
  );
  assert.equal(await withImports('typescript', 'export const x = 1;\r\n', [randomInt], 'a.ts'), "import { randomInt } from 'crypto';\r\nexport const x = 1;\r\n");
  assert.equal(await withImports('javascript', '#!/usr/bin/env node\nmodule.exports = 1;\n', [randomInt]), "#!/usr/bin/env node\nconst { randomInt } = require('crypto');\nmodule.exports = 1;\n");
});

test('js: a new require goes into the import block at the top, not after a require further down the file', async () => {
  const middle = Array.from({ length: 30 }, (_, i) => `function f${i}() { return ${i}; }\n`).join('');
  const source = `'use strict';\n// routes\nconst express = require('express');\nconst db = require('./db');\nconst router = express.Router();\n${middle}const late = require('./late');\nmodule.exports = router;\n`;
  assert.equal(await withImports('javascript', source, [randomInt]), source.replace("require('./db');\n", "require('./db');\nconst { randomInt } = require('crypto');\n"));
});

test('js: nothing is added twice; clashes and unknown module systems are refused', async () => {
  const source = "import { randomInt } from 'crypto';\n";
  assert.equal(await withImports('javascript', source, [randomInt, randomInt]), source);
  assert.equal(await withImports('javascript', 'const x = 1;\n', [randomInt, randomInt, { module: 'crypto', name: 'randomUUID' }], 'a.mjs'), "import { randomInt, randomUUID } from 'crypto';\nconst x = 1;\n");
  assert.match(await withImports('javascript', "import { randomInt } from './rng';\n", [randomInt]), /REFUSED: randomInt is already bound/);
  assert.match(await withImports('javascript', 'console.log(1);\n', [randomInt], 'script.js'), /REFUSED: cannot tell whether the file is an ES module or CommonJS/);
});

const secureRandom: ImportRequest = { module: 'java.security', name: 'SecureRandom' };

test('java: a single-type import after the last import, or after the package line', async () => {
  assert.equal(
    await withImports('java', 'package a;\n\nimport java.util.Random;\n\nclass A {}\n', [secureRandom]),
    'package a;\n\nimport java.util.Random;\nimport java.security.SecureRandom;\n\nclass A {}\n',
  );
  assert.equal(await withImports('java', 'package a;\r\n\r\nclass A {}\r\n', [secureRandom]), 'package a;\r\n\r\nimport java.security.SecureRandom;\r\n\r\nclass A {}\r\n');
  assert.equal(await withImports('java', 'class A {}\n', [secureRandom]), 'import java.security.SecureRandom;\n\nclass A {}\n');
});

test('java: an existing import by name or wildcard is enough; a clashing simple name is refused', async () => {
  for (const source of ['import java.security.SecureRandom;\nclass A {}\n', 'import java.security.*;\nclass A {}\n']) {
    assert.equal(await withImports('java', source, [secureRandom, secureRandom]), source);
  }
  assert.match(await withImports('java', 'import com.acme.SecureRandom;\nclass A {}\n', [secureRandom]), /REFUSED: another class named SecureRandom/);
});
