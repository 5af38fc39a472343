/**
 * A codemod the workspace turned off (policy.disabledCodemods) is no available fix for triage:
 * the same upload earns the `fix-available` confidence in a workspace that allows the fix and not
 * in one that turned it off, where a weight-0 factor says the fix is off. Driven through the web
 * trigger and the scan job against the emulator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

interface Settings { username: string; email: string }
interface Detail { id: string; verdict: string; confidence: number; factors: { id: string; weight: number; detail: string }[] }

/** Uploads the PyYAML finding into a fresh workspace with the given codemods off; returns its triage. */
async function triagedWith(slug: string, disabledCodemods: string[]): Promise<Detail> {
  const ws: Workspace = await setUpWorkspace(h, slug, vulnerablePython);
  const current = await h.invoke<Settings>('getSettings', {}, ws.adminContext);
  assert.ok(current.data);
  const saved = await h.invoke('saveSettings', {
    username: current.data.username, email: current.data.email, policy: { disabledCodemods, autoPullRequests: false },
  }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  const upload = await h.upload({ repository: `${slug}/app`, commit: ws.commit }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202);
  await h.host.app.queue.idle();
  const list = await h.invoke<{ items: { id: string }[] }>('listFindings', {}, ws.repoContext);
  const id = list.data?.items[0]?.id;
  assert.ok(id, 'the upload stored its finding');
  const detail = await h.invoke<Detail>('getFinding', { id }, ws.repoContext);
  assert.ok(detail.data);
  return detail.data;
}

test('a turned-off codemod adds no fix-available confidence and its factor says the fix is off', async () => {
  const allowed = await triagedWith('fix-on-ws', []);
  const turnedOff = await triagedWith('fix-off-ws', ['pyyaml-safe-load']);

  assert.equal(allowed.verdict, 'true_positive');
  assert.deepEqual(allowed.factors.filter((f) => f.id.startsWith('fix-')).map((f) => [f.id, f.weight]), [['fix-available', 10]]);

  assert.equal(turnedOff.verdict, 'true_positive');
  const fixFactors = turnedOff.factors.filter((f) => f.id.startsWith('fix-'));
  assert.deepEqual(fixFactors.map((f) => [f.id, f.weight]), [['fix-turned-off', 0]]);
  assert.match(fixFactors[0]?.detail ?? '', /\(pyyaml-safe-load\) but the workspace turned it off/);
  // Only the fix factor differs (before the caps: below a person's 100, and at most 75 when no
  // request data was seen reaching the sink), and each list adds up.
  const uncapped = (d: Detail): number => d.factors.filter((f) => f.id !== 'cap' && f.id !== 'no-source-cap').reduce((sum, f) => sum + f.weight, 0);
  assert.equal(uncapped(turnedOff), uncapped(allowed) - 10, 'only the fix factor differs');
  for (const d of [allowed, turnedOff]) assert.equal(d.factors.reduce((sum, f) => sum + f.weight, 0), d.confidence);
});
