/** The `sarif-upload` web trigger, driven over HTTP on loopback against the emulator. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let ws: Workspace;
let other: Workspace;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'upload-ws', vulnerablePython);
  other = await setUpWorkspace(h, 'other-ws', vulnerablePython, 'elsewhere');
});
after(async () => h.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const scanCount = async () => (await h.host.app.deps.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM scans'))[0]?.n ?? -1;
const findingRowsOfScans = async () => (await h.host.app.deps.db.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM scan_findings) + (SELECT COUNT(*) FROM scan_uploads) AS n'))[0]?.n ?? -1;

test('a valid upload is accepted, queued, processed, and reports its pull request', async () => {
  const response = await h.upload({ repository: 'upload-ws/app', commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), auth(ws.uploadToken));
  assert.equal(response.status, 202, JSON.stringify(response.json));
  assert.equal(response.json.status, 'queued');
  assert.equal(response.json.findings, 1);
  await h.host.app.queue.idle();
  const { status, json: body } = await h.scanStatus(response.json.scanId, ws.uploadToken);
  assert.equal(status, 200);
  assert.equal(body.status, 'done', JSON.stringify(body));
  assert.deepEqual(body.counts, { results: 1, findings: 1, merged: 0, skipped: 0 });
  assert.equal(body.pullRequests.length, 1);
  assert.match(body.pullRequests[0].url, /pull-requests\/\d+/);
});

test('gzip bodies and the base64-gzip envelope are accepted', async () => {
  const sarif = sarifLog([yamlFinding()]);
  const gz = await h.upload({ repository: 'upload-ws/app', commit: ws.commit }, gzipSync(sarif), { ...auth(ws.uploadToken), 'Content-Encoding': 'gzip' });
  assert.equal(gz.status, 202, JSON.stringify(gz.json));
  const envelope = JSON.stringify({ sarif: gzipSync(sarif).toString('base64'), commit_sha: ws.commit, ref: 'refs/heads/main' });
  const env = await h.upload({ repository: 'upload-ws/app' }, envelope, auth(ws.uploadToken));
  assert.equal(env.status, 202, JSON.stringify(env.json));
  await h.host.app.queue.idle();
});

test('rejections name the problem and leave nothing stored', async () => {
  const before = [await scanCount(), await findingRowsOfScans()];
  const sarif = sarifLog([yamlFinding()]);
  const cases: { name: string; status: number; code: string; run: () => Promise<{ status: number; json: any }> }[] = [
    { name: 'no token', status: 401, code: 'unauthorized', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, sarif) },
    { name: 'wrong token', status: 401, code: 'unauthorized', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, sarif, auth(`${ws.uploadToken.slice(0, -4)}AAAA`)) },
    { name: 'repository of another workspace', status: 403, code: 'forbidden', run: () => h.upload({ repository: 'other-ws/elsewhere', commit: ws.commit }, sarif, auth(ws.uploadToken)) },
    { name: 'unknown repository', status: 404, code: 'not_found', run: () => h.upload({ repository: 'upload-ws/nope', commit: ws.commit }, sarif, auth(ws.uploadToken)) },
    { name: 'missing commit', status: 400, code: 'bad_request', run: () => h.upload({ repository: 'upload-ws/app' }, sarif, auth(ws.uploadToken)) },
    { name: 'short commit', status: 400, code: 'bad_request', run: () => h.upload({ repository: 'upload-ws/app', commit: 'abc123' }, sarif, auth(ws.uploadToken)) },
    { name: 'not JSON', status: 400, code: 'invalid_sarif', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, '{"version": ', auth(ws.uploadToken)) },
    { name: 'wrong SARIF version', status: 400, code: 'invalid_sarif', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, JSON.stringify({ version: '1.0.0', runs: [] }), auth(ws.uploadToken)) },
    { name: 'brotli', status: 415, code: 'unsupported_encoding', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, sarif, { ...auth(ws.uploadToken), 'Content-Encoding': 'br' }) },
    { name: 'over 5 MB', status: 413, code: 'payload_too_large', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, ' '.repeat(5 * 1024 * 1024 + 10), auth(ws.uploadToken)) },
    { name: 'gzip bomb', status: 413, code: 'payload_too_large', run: () => h.upload({ repository: 'upload-ws/app', commit: ws.commit }, gzipSync(Buffer.alloc(60 * 1024 * 1024, 32)), { ...auth(ws.uploadToken), 'Content-Encoding': 'gzip' }) },
  ];
  for (const c of cases) {
    const response = await c.run();
    assert.equal(response.status, c.status, `${c.name}: ${JSON.stringify(response.json)}`);
    assert.equal(response.json.error?.code, c.code, c.name);
    assert.ok(String(response.json.error?.message).length > 10, `${c.name} has a message`);
    assert.ok(!JSON.stringify(response.json).includes(ws.uploadToken), `${c.name} does not echo the token`);
  }
  assert.deepEqual([await scanCount(), await findingRowsOfScans()], before);
});

test('schema errors name the JSON path', async () => {
  const bad = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{}, {}, 'nope'] }] });
  const response = await h.upload({ repository: 'upload-ws/app', commit: ws.commit }, bad, auth(ws.uploadToken));
  assert.equal(response.status, 400);
  assert.match(response.json.error.message, /runs\[0\]\.results\[2\]/);
});

test('a token for another workspace cannot read this workspace\'s scan', async () => {
  const response = await h.upload({ repository: 'upload-ws/app', commit: ws.commit }, sarifLog([yamlFinding()]), auth(ws.uploadToken));
  assert.equal(response.status, 202);
  const foreign = await h.scanStatus(response.json.scanId, other.uploadToken);
  assert.equal(foreign.status, 403);
  await h.host.app.queue.idle();
});
