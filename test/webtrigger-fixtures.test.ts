/**
 * Every real scanner output in test/fixtures/sarif uploads through the web trigger with 202, and
 * its scan status keeps results = findings + merged + skipped with under 5% skipped, each skip
 * with a reason.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';

const dir = join(import.meta.dirname, 'fixtures', 'sarif');
const fixtures = readdirSync(dir).filter((name) => name.endsWith('.sarif')).sort();

let h: Harness;
let ws: Workspace;
before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'fixtures-ws', { 'README.md': '# scanned elsewhere\n' });
});
after(async () => h.close());

for (const name of fixtures) {
  test(`${name} is accepted and accounted for`, { timeout: 120_000 }, async () => {
    const body = readFileSync(join(dir, name), 'utf8');
    const upload = await h.upload({ repository: 'fixtures-ws/app', commit: ws.commit }, body, { Authorization: `Bearer ${ws.uploadToken}` });
    assert.equal(upload.status, 202, JSON.stringify(upload.json).slice(0, 500));
    await h.host.app.queue.idle();
    const status = (await h.scanStatus(upload.json.scanId, ws.uploadToken)).json;
    assert.equal(status.status, 'done', JSON.stringify(status).slice(0, 500));
    const { results, findings, merged, skipped } = status.counts;
    const expected = (JSON.parse(body) as { runs: { results?: unknown[] }[] }).runs.reduce((sum, run) => sum + (run.results?.length ?? 0), 0);
    assert.equal(results, expected);
    assert.equal(results, findings + merged + skipped);
    assert.equal(upload.json.findings, findings);
    assert.ok(skipped <= results * 0.05, `${skipped} of ${results} skipped`);
    for (const skip of status.skipped) assert.ok(skip.reason.length > 0);
  });
}
