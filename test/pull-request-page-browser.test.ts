/**
 * In a real browser: a reviewer presses Merge on the emulator's pull request page, and the app
 * hears of it the way a Forge app hears from Bitbucket (the pull request event), without waiting
 * for the reconcile timer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { FindingsRepository } from '../src/storage/findings-repository';
import { PullRequestsRepository } from '../src/storage/pull-requests-repository';
import { launch, shot } from './browser-helpers';
import { setUpWorkspace, startHarness, type Harness } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

let h: Harness;
let browser: Browser;
before(async () => {
  h = await startHarness();
  browser = await launch();
});
after(async () => {
  await browser.close();
  await h.close();
});

test('pressing Merge on the pull request page marks the findings fixed', async () => {
  const ws = await setUpWorkspace(h, 'browser-merge', vulnerablePython);
  const upload = await h.upload({ repository: 'browser-merge/app', commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202, JSON.stringify(upload.json));
  await h.host.app.queue.idle();
  const [pr] = await new PullRequestsRepository(h.host.app.deps.db).listForRepository(ws.repoUuid);
  assert.ok(pr, 'a PR was opened');

  const page = await browser.newPage();
  try {
    await page.goto(pr.url);
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.getByText('MERGED', { exact: true }).waitFor();
    assert.equal(page.url(), pr.url, 'back on the pull request page');
    assert.equal(await page.getByRole('button').count(), 0, 'no buttons on a merged PR');
    await page.screenshot({ path: shot('emulator-pr-merged'), fullPage: true });
  } finally {
    await page.close();
  }
  await h.host.pullRequestTriggers.idle();
  const finding = (await new FindingsRepository(h.host.app.deps.db).listAll(ws.repoUuid)).find((f) => f.ruleId.includes('pyyaml'));
  assert.equal(finding?.status, 'fixed');
  assert.equal((await new PullRequestsRepository(h.host.app.deps.db).get(ws.repoUuid, pr.id))?.state, 'MERGED');
});
