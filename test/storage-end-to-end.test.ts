/**
 * The whole app on Forge SQL's dialect: the local host (web trigger, queue consumer, resolvers,
 * Bitbucket emulator) with its findings, scans and pull requests in MariaDB behind the Forge SQL
 * adapter, uploading the demo repository's real SARIF twice. The same flow on SQLite must end in
 * the same findings, verdicts and pull requests.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrations } from '../src/storage/migrations';
import { FORGE_SQL_LIMITS } from './support/mariadb';
import { mariaDbBackend, type StorageBackend } from './support/storage-backends';
import { setUpWorkspace, startHarness, type Harness } from './support/harness';
import { demoFiles, demoSarif } from './support/demo-repo';

const root = join(import.meta.dirname, '..');
const maria = await mariaDbBackend();
const harnesses: Harness[] = [];
after(async () => {
  for (const h of harnesses) await h.close();
  if ('close' in maria) await maria.close();
});

type Outcome = { scans: { status: string; counts: unknown; pullRequests: number }[]; findings: string[]; pullRequests: string[] };

/** Uploads the demo SARIF twice and describes what the app stored, in terms that do not depend on ids. */
async function runDemo(backend?: StorageBackend): Promise<Outcome> {
  const h = await startHarness();
  harnesses.push(h);
  if (backend) {
    const db = await backend.emptyDatabase();
    await db.migrate(migrations);
    h.host.app.deps.db = db;
  }
  const ws = await setUpWorkspace(h, 'dialects', demoFiles(), 'vulnerable-app');
  const sarif = demoSarif();
  const scans: Outcome['scans'] = [];
  for (let upload = 0; upload < 2; upload++) {
    const response = await h.upload({ repository: 'dialects/vulnerable-app', commit: ws.commit }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
    assert.equal(response.status, 202, JSON.stringify(response.json));
    await h.host.app.queue.idle();
    const body = (await h.scanStatus(response.json.scanId, ws.uploadToken)).json as { status: string; counts: unknown; pullRequests: unknown[] };
    scans.push({ status: body.status, counts: body.counts, pullRequests: body.pullRequests.length });
  }
  const page = await h.invoke<{ items: { ruleId: string; path?: string; line?: number; verdict: string; status: string }[] }>('listFindings', { limit: 200 }, ws.repoContext);
  assert.equal(page.ok, true, JSON.stringify(page.error));
  const prs = await h.invoke<{ items: { title: string; state: string }[] }>('listPullRequests', {}, ws.repoContext);
  assert.equal(prs.ok, true, JSON.stringify(prs.error));
  return {
    scans,
    findings: (page.data?.items ?? []).map((f) => `${f.ruleId} ${f.path ?? '-'}:${f.line ?? '-'} ${f.verdict} ${f.status}`).sort(),
    pullRequests: (prs.data?.items ?? []).map((pr) => `${pr.title} ${pr.state}`).sort(),
  };
}

test('the demo flow on MariaDB through the Forge SQL adapter ends as it does on SQLite', { skip: 'skip' in maria ? maria.skip : false }, async () => {
  if ('skip' in maria) return;
  const sentBefore = maria.requests.length;
  const onMaria = await runDemo(maria);
  const sent = maria.requests.slice(sentBefore);
  assert.ok(sent.length > 20, `the app's SQL went to MariaDB (${sent.length} requests)`);
  for (const request of sent) assert.ok(request.bytes <= FORGE_SQL_LIMITS.requestBytes);
  assert.deepEqual(onMaria.scans.map((scan) => scan.status), ['done', 'done']);
  assert.ok(onMaria.scans[0]!.pullRequests > 0, 'the first scan opened pull requests');
  assert.ok(onMaria.findings.length > 0);
  assert.deepEqual(await runDemo(), onMaria);
});

test('every real scanner fixture is stored and processed on MariaDB through the Forge SQL adapter', { skip: 'skip' in maria ? maria.skip : false, timeout: 300_000 }, async () => {
  if ('skip' in maria) return;
  const h = await startHarness();
  harnesses.push(h);
  const db = await maria.emptyDatabase();
  await db.migrate(migrations);
  h.host.app.deps.db = db;
  const ws = await setUpWorkspace(h, 'fixtures-maria', { 'README.md': '# scanned elsewhere\n' });
  const dir = join(root, 'test/fixtures/sarif');
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.sarif')).sort()) {
    const upload = await h.upload({ repository: 'fixtures-maria/app', commit: ws.commit }, readFileSync(join(dir, name), 'utf8'), { Authorization: `Bearer ${ws.uploadToken}` });
    assert.equal(upload.status, 202, `${name}: ${JSON.stringify(upload.json).slice(0, 300)}`);
    await h.host.app.queue.idle();
    const status = (await h.scanStatus(upload.json.scanId, ws.uploadToken)).json as { status: string; error?: string; counts: { results: number; findings: number; merged: number; skipped: number } };
    assert.equal(status.status, 'done', `${name}: ${JSON.stringify(status).slice(0, 300)}`);
    assert.equal(status.counts.results, status.counts.findings + status.counts.merged + status.counts.skipped, name);
  }
});
