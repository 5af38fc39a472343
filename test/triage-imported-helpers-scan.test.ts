/**
 * The scan job reads the repository modules a flagged file imports (at most MAX_IMPORTED_FILES), so
 * triage judges an imported helper and an imported setting by their body: through the real web
 * trigger and scan job, against the emulator holding the files. The helper module has no finding
 * of its own; the route without the check stays a finding.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';

let h: Harness;
let ws: Workspace;

const files = {
  'src/lib/refs.js': [
    "'use strict';",
    'const REF = /^[A-Z]{2}\\d{5}$/;',
    'function assertRef(ref) {',
    "  if (!REF.test(ref)) throw new Error('bad reference');",
    '}',
    'module.exports = { assertRef };',
  ].join('\n'),
  'src/config.js': "module.exports = {\n  uploadsDir: process.env.UPLOADS_DIR || '/var/lib/app/uploads',\n};\n",
  'src/routes/docs.js': [
    "const fs = require('fs');",
    "const path = require('path');",
    "const { assertRef } = require('../lib/refs');",
    "const config = require('../config');",
    'async function upload(request) {',
    '  const ref = request.params.ref;',
    '  assertRef(ref);',
    '  await fs.promises.writeFile(path.join(config.uploadsDir, ref, `${Date.now()}.pdf`), request.payload.file);',
    '}',
    'async function raw(request) {',
    '  await fs.promises.writeFile(path.join(config.uploadsDir, request.params.ref, request.params.name), request.payload.file);',
    '}',
    'module.exports = { upload, raw };',
  ].join('\n'),
  'package.json': '{"name":"app","scripts":{"start":"node src/index.js"}}\n',
};

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'helpers-ws', files);
  const service = serviceAccount('helpers-ws');
  const saved = await h.invoke('saveSettings', { username: service.username, email: service.email, policy: { autoPullRequests: false } }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved));
});
after(async () => h.close());

const result = (line: number) => ({
  ruleId: 'security/detect-non-literal-fs-filename',
  level: 'warning',
  message: { text: 'Found writeFile from package "fs" with non literal argument at index 0' },
  locations: [{ physicalLocation: { artifactLocation: { uri: 'src/routes/docs.js' }, region: { startLine: line } } }],
});

test('a path checked by a helper of an imported module, under an imported setting, is set aside by the scan; the unchecked one is not', async () => {
  const sarif = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'ESLint', rules: [{ id: 'security/detect-non-literal-fs-filename' }] } }, results: [result(8), result(11)] }] });
  const upload = await h.upload({ repository: 'helpers-ws/app', commit: ws.commit }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
  const page = await h.invoke<{ items: { line?: number; verdict: string; justification?: string }[] }>('listFindings', { limit: 50, sort: 'path' }, ws.repoContext);
  assert.equal(page.ok, true, JSON.stringify(page.error));
  const at = (line: number) => page.data?.items.find((f) => f.line === line);
  assert.equal(at(8)?.verdict, 'false_positive', JSON.stringify(at(8)));
  assert.notEqual(at(11)?.verdict, 'false_positive', JSON.stringify(at(11)));
  assert.notEqual(at(11)?.verdict, 'wont_fix');
});
