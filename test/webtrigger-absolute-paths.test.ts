/**
 * SARIF with absolute CI paths through the real web trigger and scan job, against the emulator
 * holding those files: the upload keeps the paths aside, the job lists the tree once and maps them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpWorkspace, startHarness, serviceAccount, type Harness, type Workspace } from './support/harness';
import { loadUploadFindings } from '../src/services/upload/normalise-upload';

let h: Harness;
let ws: Workspace;

const files = {
  'src/app/db.py': 'import sqlite3\n\ndef find(cursor, name):\n    cursor.execute("SELECT * FROM users WHERE name = \'" + name + "\'")\n',
  'src/app/views.py': 'from flask import request\n\nname = request.args["name"]\n',
  'lib/db.py': 'def connect():\n    return None\n',
  'README.md': '# app\n',
};
const checkout = '/home/runner/work/app/app';

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'abs-ws', files);
  // Pull requests are beside the point here: keep the job to mapping, merging and triage.
  const service = serviceAccount('abs-ws');
  const saved = await h.invoke('saveSettings', { username: service.username, email: service.email, policy: { autoPullRequests: false } }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved));
});
after(async () => h.close());

const auth = () => ({ Authorization: `Bearer ${ws.uploadToken}` });
const result = (uri: string, line: number, message: string) => ({
  ruleId: 'py/custom-check',
  level: 'warning',
  message: { text: message },
  locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } }],
});
const sarif = (results: unknown[]) => JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'CodeQL', semanticVersion: '2.20.0', rules: [{ id: 'py/custom-check' }] } }, results }] });

const treeListings = async () => (await h.admin<{ method: string; path: string }[]>('/requests')).filter((r) => r.method === 'GET' && /\/src\/[0-9a-f]{40}\/?(\?|$)/.test(r.path)).length;
type Item = { id: string; path?: string; line?: number; message: string };
const listFindings = async () => {
  const page = await h.invoke<{ items: Item[] }>('listFindings', { limit: 200, sort: 'path' }, ws.repoContext);
  assert.equal(page.ok, true, JSON.stringify(page.error));
  return page.data!.items;
};
const scanStatus = async (scanId: string) => (await h.scanStatus(scanId, ws.uploadToken)).json;

test('absolute CI paths are stored aside by the web trigger and mapped to repository paths by the scan job', async () => {
  await h.admin('/requests', undefined, 'DELETE');
  const body = sarif([
    result(`${checkout}/src/app/db.py`, 4, 'Query built from a string.'),
    result(`file://${checkout}/src/app/views.py`, 3, 'Request data read.'),
    result('/tmp/build/db.py', 1, 'Ambiguous file.'),
  ]);
  const upload = await h.upload({ repository: 'abs-ws/app', commit: ws.commit }, body, auth());
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  assert.equal(upload.json.findings, 3);

  // As the scan job reads them from the stored upload, before mapping: nothing absolute in location.path, the raw path kept aside.
  const pending = (await loadUploadFindings(h.host.app.deps, upload.json.scanId)) ?? [];
  assert.equal(pending.length, 3);
  assert.ok(pending.every((f) => f.location === undefined && f.absoluteLocation?.absolutePath.startsWith('/')));

  await h.host.app.queue.idle();
  const status = await scanStatus(upload.json.scanId);
  assert.equal(status.status, 'done', JSON.stringify(status));
  assert.deepEqual(status.counts, { results: 3, findings: 3, merged: 0, skipped: 0 });
  assert.equal(await treeListings(), 1, 'the tree is listed once for the scan');

  const items = await listFindings();
  assert.deepEqual(items.map((i) => [i.path, i.line]).sort(), [['src/app/db.py', 4], ['src/app/views.py', 3], [undefined, undefined]].sort());
  const rows = await h.host.app.deps.db.query<{ data: string }>('SELECT data FROM findings WHERE repo_uuid = ? AND path IS NULL', [ws.repoUuid]);
  assert.equal(rows.length, 1);
  assert.match(rows[0]!.data, /"unmapped":"ambiguous: 2 files of the repository end with \\"db.py\\""/);
});

test('re-uploading, from another CI checkout or with relative paths, finds the same findings', async () => {
  const before = (await listFindings()).length;
  await h.admin('/requests', undefined, 'DELETE');
  const gitlab = sarif([result('/builds/acme/app/src/app/db.py', 4, 'Query built from a string.')]);
  const relative = sarif([result('src/app/views.py', 3, 'Request data read.')]);
  for (const body of [gitlab, relative]) {
    const upload = await h.upload({ repository: 'abs-ws/app', commit: ws.commit }, body, auth());
    assert.equal(upload.status, 202, JSON.stringify(upload.json));
    await h.host.app.queue.idle();
    assert.equal((await scanStatus(upload.json.scanId)).status, 'done');
  }
  assert.equal((await listFindings()).length, before, 'no new finding');
  // Each job lists the tree once, shared by the absolute-path mapping and triage's view of the
  // repository's manifests (what ships and what does not).
  assert.equal(await treeListings(), 2, 'one listing per job, never one per finding or per step');
});
