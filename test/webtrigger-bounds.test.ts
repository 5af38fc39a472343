/**
 * Issue 14, rows 2 and 3: every SARIF string the app stores or shows has a bound, and an upload of
 * many runs is refused before any per-run work. Driven over HTTP through the web trigger against the
 * emulator, with `/healthz` polled during each upload (the host shares this process's event loop).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { watchHealthz } from './support/healthz-watch';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';
import { ScansRepository } from '../src/storage/scans-repository';


let h: Harness;
let ws: Workspace;
before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'bounds-ws', vulnerablePython);
});
after(async () => h.close());

const auth = () => ({ Authorization: `Bearer ${ws.uploadToken}` });
const query = () => ({ repository: 'bounds-ws/app', commit: ws.commit });
const scanCount = async () => (await h.host.app.deps.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM scans'))[0]?.n ?? -1;

/** A valid log (one real finding) with `edit` applied to its parsed form. */
function logWith(edit: (log: any) => void): string {
  const log = JSON.parse(sarifLog([yamlFinding()]));
  edit(log);
  return JSON.stringify(log);
}

async function uploadWatched(body: string | Buffer, headers: Record<string, string> = {}) {
  const watch = watchHealthz(h.url);
  const start = performance.now();
  const response = await h.upload(query(), body, { ...auth(), ...headers });
  const ms = performance.now() - start;
  const health = await watch.stop();
  return { ...response, ms, health };
}

/** Every page of the repository's findings, each checked against 1 MB. */
async function allFindingPages(): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await h.invoke<{ items: any[]; nextCursor?: string }>('listFindings', { limit: 200, ...(cursor ? { cursor } : {}) }, ws.repoContext);
    assert.ok(page.ok, JSON.stringify(page.error));
    const bytes = Buffer.byteLength(JSON.stringify(page.data));
    assert.ok(bytes < 1024 * 1024, `a listFindings page is ${bytes} bytes`);
    items.push(...page.data!.items);
    cursor = page.data!.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

test('row 2: a 39-million-character ruleId (38 KB of gzip) skips its result; the rest is stored small and /healthz keeps answering', { timeout: 120_000 }, async () => {
  const huge = 'A'.repeat(39_000_000);
  const text = logWith((log) => log.runs[0].results.push({ ...log.runs[0].results[0], ruleId: huge }));
  const gz = gzipSync(text);
  assert.ok(gz.length < 60_000, `${gz.length} bytes of gzip`);
  const response = await uploadWatched(gz, { 'Content-Encoding': 'gzip' });
  assert.equal(response.status, 202, JSON.stringify(response.json).slice(0, 500));
  assert.deepEqual(response.json.counts, { results: 2, findings: 1, merged: 0, skipped: 1 });
  assert.ok(response.health.slowestMs < 1000, `/healthz took ${response.health.slowestMs} ms`);
  await h.host.app.queue.idle();
  const status = await h.scanStatus(response.json.scanId, ws.uploadToken);
  assert.deepEqual(status.json.skipped, [{ index: 1, reason: 'rule id longer than 256 characters', count: 1 }]);
  for (const table of ['scan_uploads', 'findings']) {
    const rows = await h.host.app.deps.db.query<{ n: number }>(`SELECT MAX(LENGTH(data)) AS n FROM ${table}`);
    assert.ok((rows[0]?.n ?? 0) < 100_000, `largest stored ${table} row: ${rows[0]?.n} characters`);
  }
  const { items } = await allFindingPages();
  assert.ok(items.every((item) => item.ruleId.length <= 256));
});

test('row 2: a long tool.driver.name is refused with 400 naming its JSON path, and nothing is stored', { timeout: 60_000 }, async () => {
  const before = await scanCount();
  const response = await uploadWatched(gzipSync(logWith((log) => (log.runs[0].tool.driver.name = 'T'.repeat(5_000_000)))), { 'Content-Encoding': 'gzip' });
  assert.equal(response.status, 400);
  assert.equal(response.json.error.code, 'invalid_sarif');
  assert.match(response.json.error.message, /^runs\[0\]\.tool\.driver\.name: 5,000,000 characters, at most 256/);
  assert.ok(JSON.stringify(response.json).length < 1000, 'the refusal does not echo the value');
  assert.ok(response.health.slowestMs < 1000, `/healthz took ${response.health.slowestMs} ms`);
  assert.equal(await scanCount(), before);
});

test('row 3: 25,000 runs of one result each are refused with 413 before any per-run work', { timeout: 60_000 }, async () => {
  const run = JSON.parse(sarifLog([yamlFinding()])).runs[0];
  const text = JSON.stringify({ version: '2.1.0', runs: Array.from({ length: 25_000 }, () => run) });
  const response = await uploadWatched(gzipSync(text), { 'Content-Encoding': 'gzip' });
  assert.equal(response.status, 413, JSON.stringify(response.json));
  assert.equal(response.json.error.code, 'payload_too_large');
  assert.match(response.json.error.message, /25,000 runs in one upload, at most 100/);
  assert.ok(response.ms < 3000, `answered in ${response.ms} ms`);
  assert.ok(response.health.slowestMs < 1000, `/healthz took ${response.health.slowestMs} ms`);
  // 100 runs are still accepted.
  const hundred = await h.upload(query(), JSON.stringify({ version: '2.1.0', runs: Array.from({ length: 100 }, () => run) }), auth());
  assert.equal(hundred.status, 202, JSON.stringify(hundred.json));
  await h.host.app.queue.idle();
});

test('over-long messages, snippets, URIs, fingerprints, names and help are cut or dropped, and counted', { timeout: 60_000 }, async () => {
  const text = logWith((log) => {
    const rule = log.runs[0].tool.driver.rules[0];
    rule.name = 'N'.repeat(300);
    rule.help = { text: 'H'.repeat(10_000) };
    const [first] = log.runs[0].results;
    first.message.text = 'M'.repeat(100_000);
    first.locations[0].physicalLocation.region.snippet = { text: 'S'.repeat(5_000) };
    first.partialFingerprints = { primaryLocationLineHash: 'F'.repeat(1_000) };
    first.suppressions = [{ kind: 'external', justification: 'J'.repeat(5_000) }];
    first.properties = { tags: Array.from({ length: 50 }, (_, i) => `CWE-${i + 1}`) };
    log.runs[0].results.push({ ...first, ruleId: 'other-rule', locations: [{ physicalLocation: { artifactLocation: { uri: `src/${'d/'.repeat(3_000)}x.py` } } }] });
  });
  const response = await h.upload(query(), text, auth());
  assert.equal(response.status, 202, JSON.stringify(response.json).slice(0, 500));
  const trimmed = Object.fromEntries((response.json.trimmed as { field: string; count: number }[]).map((t) => [t.field, t.count]));
  assert.deepEqual(trimmed, {
    'rule name': 1, 'rule help': 1, message: 2, snippet: 1, 'partialFingerprints.primaryLocationLineHash': 2,
    'suppression justification': 2, cwes: 2, 'location URI': 1,
  });
  assert.equal(response.json.counts.trimmed, 12);
  await h.host.app.queue.idle();
  const status = await h.scanStatus(response.json.scanId, ws.uploadToken);
  assert.equal(status.json.counts.trimmed, 12, 'the scan status counts what was trimmed');
  const rows = await h.host.app.deps.db.query<{ n: number }>('SELECT MAX(LENGTH(data)) AS n FROM findings');
  assert.ok((rows[0]?.n ?? 0) < 40_000, `the largest stored finding is ${rows[0]?.n} characters`);
});

test('no listFindings page is over 1 MB, even when every row is as large as its bounds allow', { timeout: 120_000 }, async () => {
  // Control characters take six bytes each as JSON: 4,000 of them make a 24 KB message.
  const message = '\u0001'.repeat(4_000);
  const results = Array.from({ length: 200 }, (_, i) => ({ ruleId: `big-rule-${i}`, path: 'app.py', line: 1 + (i % 8), message }));
  const response = await h.upload(query(), sarifLog(results), auth());
  assert.equal(response.status, 202, JSON.stringify(response.json).slice(0, 300));
  await h.host.app.queue.idle();
  const { items, pages } = await allFindingPages();
  assert.ok(pages > 1, 'the rows did not fit one page');
  const ids = new Set(items.map((item) => item.id));
  assert.equal(ids.size, items.length, 'no row repeats across pages');
  assert.ok(items.filter((item) => item.ruleId.startsWith('big-rule-')).length === 200, 'paging reaches every finding');
});

test('no listScans page is over 1 MB, even with 100 tools of 256-character names per scan', { timeout: 60_000 }, async () => {
  const scans = new ScansRepository(h.host.app.deps.db);
  const name = (i: number) => `${i}`.padEnd(256, '\u0001');
  const at = new Date().toISOString();
  for (let k = 0; k < 40; k++) {
    await scans.insert({
      id: `bounds-scan-${k}`, workspaceId: ws.workspaceId, repoUuid: ws.repoUuid, repoFullName: 'bounds-ws/app', mainBranch: 'main', commit: ws.commit,
      status: 'done', tools: Array.from({ length: 100 }, (_, i) => ({ name: name(i), version: name(i) })), counts: { results: 0, findings: 0, merged: 0, skipped: 0 },
      skipped: [], pullRequests: [], createdAt: at, updatedAt: at,
    });
  }
  const page = await h.invoke<{ items: { tools: string[] }[] }>('listScans', {}, ws.repoContext);
  assert.ok(page.ok, JSON.stringify(page.error));
  const bytes = Buffer.byteLength(JSON.stringify(page.data));
  assert.ok(bytes < 1024 * 1024, `the listScans page is ${bytes} bytes`);
  assert.ok(page.data!.items.length > 0);
  assert.ok(page.data!.items.every((item) => item.tools.length <= 21));
});
