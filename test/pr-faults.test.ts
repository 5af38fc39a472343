/**
 * Must show (issue 7): under emulator faults (20% 5xx, 10% 429, random latency) a scan of the demo
 * repository ends with the same pull requests as a fault-free run; answers lost after a write
 * (the commit or PR landed, the reply did not) never duplicate a branch, commit or PR.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ScansRepository } from '../src/storage/scans-repository';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { prSnapshot } from './support/pr-snapshot';
import { demoFiles, demoSarif } from './support/demo-repo';

const sarif = demoSarif();

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.admin('/faults', undefined, 'DELETE').catch(() => undefined);
  await h.close();
});

/** CI retries an upload the web trigger could not finish (a fault on its repository lookup). */
async function uploadUntilAccepted(slug: string, ws: Workspace): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const reply = await h.upload({ repository: `${slug}/app`, commit: ws.commit, branch: 'main' }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
    if (reply.status === 202) return reply.json.scanId as string;
    assert.ok([429, 500, 502, 503].includes(reply.status), `only fault statuses, got ${reply.status} ${JSON.stringify(reply.json)}`);
  }
  throw new Error('upload never accepted');
}

async function scanned(slug: string, faults?: Record<string, unknown>) {
  const ws = await setUpWorkspace(h, slug, demoFiles());
  if (faults) await h.admin('/faults', faults);
  try {
    const scanId = await uploadUntilAccepted(slug, ws);
    await h.host.app.queue.idle();
    return { ws, scan: await new ScansRepository(h.host.app.deps.db).get(scanId) };
  } finally {
    if (faults) await h.admin('/faults', undefined, 'DELETE');
  }
}

test('20% 5xx, 10% 429 and random latency: the same PRs as a fault-free run', async () => {
  const clean = await scanned('faults-clean');
  assert.equal(clean.scan?.status, 'done');
  const expected = prSnapshot(h, 'faults-clean');
  assert.ok(expected.pullRequests.length >= 2);

  const faulty = await scanned('faults-on', { rate5xx: 0.2, rate429: 0.1, latencyMs: 15, seed: 7 });
  const injected = (await h.admin<{ status: number }[]>('/requests')).filter((r) => r.status === 429 || r.status >= 500).length;
  assert.ok(injected > 0, 'faults were injected');
  assert.equal(faulty.scan?.status, 'done', faulty.scan?.error);
  assert.deepEqual(prSnapshot(h, 'faults-on'), expected);
});

test('a commit and a PR whose answers are lost after they landed are not made twice', async () => {
  const ws = await setUpWorkspace(h, 'faults-after', demoFiles());
  await h.admin('/faults', { rate5xx: 1, after: true, match: 'POST /2.0/repositories/faults-after/app/', count: 4, seed: 3 });
  try {
    const reply = await h.upload({ repository: 'faults-after/app', commit: ws.commit, branch: 'main' }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
    assert.equal(reply.status, 202);
    await h.host.app.queue.idle();
  } finally {
    await h.admin('/faults', undefined, 'DELETE');
  }
  const expected = prSnapshot(h, 'faults-clean');
  assert.deepEqual(prSnapshot(h, 'faults-after'), expected);
  const repo = h.host.emulator.state.repositories.find((r) => r.workspace === 'faults-after');
  for (const pr of repo?.pullRequests ?? []) {
    const tip = repo?.commits[repo.branches[pr.sourceBranch] ?? ''];
    assert.deepEqual(tip?.parents, [ws.commit], `${pr.sourceBranch}: one commit on the scanned commit`);
  }
});
