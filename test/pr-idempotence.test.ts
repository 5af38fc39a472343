/**
 * Must show (issue 7): the same SARIF uploaded twice, and two overlapping scans, leave exactly the
 * same pull requests and branches as one upload — through the web trigger and the local queue,
 * and with two jobs of one repository started at the very same time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { processScan } from '../src/services/scan/process-scan';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { prSnapshot } from './support/pr-snapshot';
import { demoFiles, demoSarif } from './support/demo-repo';

const sarif = demoSarif();

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

async function upload(slug: string, ws: Workspace): Promise<string> {
  const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  return reply.json.scanId as string;
}

let once: ReturnType<typeof prSnapshot>;

test('one upload of the demo SARIF: the baseline', async () => {
  const ws = await setUpWorkspace(h, 'idem-once', demoFiles());
  await upload('idem-once', ws);
  await h.host.app.queue.idle();
  once = prSnapshot(h, 'idem-once');
  assert.ok(once.pullRequests.length >= 2, `several PRs: ${JSON.stringify(once.pullRequests.map((p) => p.sourceBranch))}`);
  assert.ok(once.pullRequests.every((pr) => pr.state === 'OPEN' && Object.keys(pr.files).length > 0));
});

test('the same SARIF uploaded twice leaves the same PRs and branches, and no further Bitbucket writes', async () => {
  const ws = await setUpWorkspace(h, 'idem-twice', demoFiles());
  await upload('idem-twice', ws);
  await h.host.app.queue.idle();
  await h.admin('/requests', undefined, 'DELETE');
  const second = await upload('idem-twice', ws);
  await h.host.app.queue.idle();
  assert.deepEqual(prSnapshot(h, 'idem-twice'), once);
  const writes = (await h.admin<{ method: string; path: string }[]>('/requests')).filter((r) => r.method !== 'GET' && !r.path.includes('/reports/'));
  assert.deepEqual(writes, [], 'no commit, branch or PR call for a repeated upload');
  const body = (await h.scanStatus(second, ws.uploadToken)).json as { status: string; pullRequests: unknown[] };
  assert.equal(body.status, 'done');
  assert.equal(body.pullRequests.length, once.pullRequests.length, 'the repeated scan still lists the open PRs');
});

test('two uploads queued back to back through the web trigger leave the same PRs and branches', async () => {
  const ws = await setUpWorkspace(h, 'idem-overlap', demoFiles());
  await Promise.all([upload('idem-overlap', ws), upload('idem-overlap', ws)]);
  await h.host.app.queue.idle();
  assert.deepEqual(prSnapshot(h, 'idem-overlap'), once);
});

test('two scan jobs of one repository started at once: one runs, the other waits for the repository', async () => {
  const ws = await setUpWorkspace(h, 'idem-race', demoFiles());
  // Another invocation holds the repository (as on Forge, where jobs run in parallel): both queued
  // jobs of the uploads below find it busy and re-queue themselves with a delay.
  await h.host.app.deps.db.execute('INSERT INTO scan_locks (repo_uuid, scan_id, acquired_at) VALUES (?, ?, ?)', [ws.repoUuid, 'elsewhere', new Date().toISOString()]);
  const [a, b] = await Promise.all([upload('idem-race', ws), upload('idem-race', ws)]);
  for (let i = 0; i < 100; i += 1) {
    const waiting = await h.host.app.deps.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued' AND run_after > ?`, [Date.now()]);
    if (Number(waiting[0]?.n) >= 2) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(prSnapshot(h, 'idem-race').pullRequests.length, 0, 'nothing ran while the repository was busy');
  await h.host.app.deps.db.execute('DELETE FROM scan_locks WHERE repo_uuid = ?', [ws.repoUuid]);

  const outcomes = await Promise.all([processScan(h.host.app.deps, a), processScan(h.host.app.deps, b)]);
  assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['done', 'requeued']);
  // Both uploads are of one commit: the job that ran processed them together, so the other's job has nothing left to do.
  const waiting = outcomes[0]?.kind === 'requeued' ? a : b;
  assert.equal((await processScan(h.host.app.deps, waiting)).kind, 'skipped');
  assert.deepEqual((await Promise.all([h.scanStatus(a, ws.uploadToken), h.scanStatus(b, ws.uploadToken)])).map((s) => s.json.status), ['done', 'done']);
  assert.deepEqual(prSnapshot(h, 'idem-race'), once);
});
