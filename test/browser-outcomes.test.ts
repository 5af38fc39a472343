import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  describeViolations, launch, moderateAxeViolations, openPage, screenshotAppAt, waitUntil,
} from './browser-helpers';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding, YAML_RULE } from './support/sarif';

/**
 * Issue 15 in Chromium against the local host: a page opened before the upload fills itself in,
 * a fix that cannot be made says why (never a green box), the previewed diff is the pull
 * request's, and dismiss, undo and decline keep their history. Screenshots at 1440 and 390 px.
 */

let h: Harness;
let ws: Workspace;
let browser: Browser;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'outcomes', {
    ...vulnerablePython,
    'notes.py': 'import os\n\n\ndef run(cmd):\n    return os.system(cmd)\n',
    'other.py': 'import json\n\n\ndef parse(text):\n    return json.loads(text)\n',
  });
  const saved = await h.invoke('saveSettings', { username: 'outcomes-bot', email: 'bot@outcomes.test', policy: { autoPullRequests: false } }, ws.adminContext);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await h?.close();
});

/** The flags the product shows over the page (the local host draws them in the framing page). */
const flags = (page: Page) => page.locator('#forge-flags [data-flag-id]');

test('a page opened before the upload shows the findings without a reload; a refused fix says why; the preview is the PR\'s diff; decisions keep their history', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/outcomes/app?accountId=${encodeURIComponent(ws.adminAccountId)}`);
  await app.getByTestId('empty-state').waitFor();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });

  const upload = await h.upload({ repository: 'outcomes/app', commit: ws.commit, branch: 'main' }, sarifLog([
    { ...yamlFinding(), message: 'Avoid yaml.load with untrusted input' },
    { ruleId: 'custom.no-fix-for-this', path: 'notes.py', line: 5, message: 'os.system with a variable' },
    { ruleId: YAML_RULE, path: 'other.py', line: 5, message: 'yaml.load flagged where the code has none' },
  ]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202);
  const started = Date.now();
  const rows = app.getByTestId('finding-row');
  await waitUntil(async () => (await rows.count()) === 3, 'the three findings appear', 30_000);
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds <= 30, `within 30 s (${seconds} s)`);
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'no reload');
  await app.getByTestId('summary').waitFor();
  console.log(`# findings appeared ${seconds.toFixed(1)} s after the upload, without a reload`);

  // Titles lead; the raw rule id is secondary.
  const yamlRow = rows.filter({ hasText: 'loader.py:5' });
  assert.match(await yamlRow.locator('.rule-toggle').innerText(), /^(?!python\.lang).+/);

  // A fix the catalogue names but that cannot be made here: the scan's dry run already says why, in
  // the row and in the detail, and no pull request is offered (never a success for nothing).
  const broken = rows.filter({ hasText: 'other.py:5' });
  const brokenFix = broken.getByTestId('row-fix');
  await waitUntil(async () => /Not fixed/.test(await brokenFix.innerText()), 'the row says the fix was not made');
  assert.doesNotMatch(await brokenFix.innerText(), /Fix available/);
  await broken.locator('.rule-toggle').click();
  const brokenDetail = app.getByTestId('finding-detail');
  await brokenDetail.getByTestId('no-fix-reason').waitFor();
  const refusalText = await brokenDetail.getByTestId('fix-outcome').innerText();
  assert.match(refusalText, /Not fixed: .{10,}/, `the detail gives the reason: ${refusalText}`);
  assert.equal(await brokenDetail.getByRole('button', { name: 'Open fix pull request' }).count(), 0);
  assert.equal(await flags(page).filter({ hasText: /opened$/ }).count(), 0, 'no success flag');
  await brokenDetail.getByRole('button', { name: 'Close details' }).click();

  // The detail of a finding with no fix says why and offers no button.
  await rows.filter({ hasText: 'notes.py:5' }).locator('.rule-toggle').click();
  let detail = app.getByTestId('finding-detail');
  await detail.getByTestId('no-fix-reason').waitFor();
  assert.equal(await detail.getByRole('button', { name: 'Open fix pull request' }).count(), 0);
  // Escape closes the detail and gives focus back to the row it came from.
  await detail.getByRole('button', { name: 'Close details' }).focus();
  await page.keyboard.press('Escape');
  await waitUntil(async () => (await app.getByTestId('finding-detail').count()) === 0, 'the detail closes');
  await waitUntil(async () => (await app.locator(':focus').getAttribute('class'))?.includes('rule-toggle') ?? false, 'focus is back on the row');
  assert.match(await app.locator(':focus').innerText(), /os\.system/);

  // Preview, then open the PR: the PR carries exactly the previewed diff.
  await yamlRow.locator('.rule-toggle').click();
  detail = app.getByTestId('finding-detail');
  const preview = detail.getByTestId('fix-preview');
  await preview.waitFor();
  const previewDiff = await preview.getByTestId('diff').innerText();
  assert.match(previewDiff, /yaml\.safe_load|SafeLoader/);
  await screenshotAppAt(browser, page, h.url, 'repository-preview', 1440, async (whole) => {
    await whole.getByTestId('finding-row').filter({ hasText: 'loader.py:5' }).locator('.rule-toggle').click();
    await whole.getByTestId('fix-preview').waitFor();
  });
  await detail.getByRole('button', { name: 'Open fix pull request' }).click();
  const opened = flags(page).filter({ hasText: 'Fix pull request opened' });
  await opened.waitFor();
  assert.equal(await opened.getAttribute('data-flag-type'), 'success');
  await detail.getByTestId('diff').waitFor();
  await waitUntil(async () => (await detail.getByTestId('fix-preview').count()) === 0, 'the detail shows the PR\'s fix');
  assert.equal(await detail.getByTestId('diff').innerText(), previewDiff, 'the pull request carries the previewed diff');
  const prLink = (await detail.locator('a[href*="/pull-requests/"]').first().getAttribute('href')) ?? '';
  const prId = Number(prLink.split('/').pop());
  const prPage = await (await fetch(prLink)).text();
  for (const line of previewDiff.split('\n').filter((l) => /^[+-]\s/.test(l))) {
    const text = line.slice(1).trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    assert.ok(prPage.includes(text), `the pull request's own diff has ${line}`);
  }

  // Dismiss with a reason: who, when and why; undo from the flag restores the verdict exactly.
  await detail.getByRole('button', { name: 'Close details' }).click();
  const notes = rows.filter({ hasText: 'notes.py:5' });
  const verdictBefore = await notes.getByTestId('verdict').innerText();
  await notes.locator('.rule-toggle').click();
  detail = app.getByTestId('finding-detail');
  await detail.getByRole('button', { name: 'Dismiss…' }).click();
  await detail.getByLabel('Dismiss as').selectOption('wont_fix');
  await detail.getByLabel(/Reason/).fill('Only admins can reach this script.');
  // Escape in the form cancels the form, not the detail; the reason typed is kept.
  await detail.getByLabel(/Reason/).press('Escape');
  await waitUntil(async () => (await detail.getByLabel(/Reason/).count()) === 0, 'the form closes');
  assert.equal(await app.getByTestId('finding-detail').count(), 1, 'the detail stays open');
  await detail.getByRole('button', { name: 'Dismiss…' }).click();
  assert.equal(await detail.getByLabel(/Reason/).inputValue(), 'Only admins can reach this script.');
  await detail.getByRole('button', { name: 'Dismiss finding' }).click();
  await detail.getByTestId('dismissal').getByText(/by you/).waitFor();
  assert.match(await detail.getByTestId('dismissal').innerText(), /Only admins can reach this script/);
  await waitUntil(async () => /won't fix/i.test(await notes.getByTestId('verdict').innerText()), 'the row shows the dismissal');
  const dismissedFlag = flags(page).filter({ hasText: 'Finding dismissed' });
  await dismissedFlag.getByRole('button', { name: 'Undo' }).click();
  await waitUntil(async () => (await notes.getByTestId('verdict').innerText()) === verdictBefore, `the verdict is back to ${verdictBefore}`);
  await notes.locator('.rule-toggle').click();
  await notes.locator('.rule-toggle').click();
  detail = app.getByTestId('finding-detail');
  const history = detail.getByTestId('history');
  await waitUntil(async () => (await history.locator('li').count()) === 2, 'the history has the dismissal and its undo');
  assert.match(await history.innerText(), /Dismissed as won't fix by you: “Only admins can reach this script\.”[\s\S]*Dismissal undone by you/);

  // A reviewer declines the fix PR: the finding stays open, the fix is marked declined, live.
  const declined = await fetch(`${h.url}/bitbucket/outcomes/app/pull-requests/${prId}/decline`, { method: 'POST', redirect: 'manual' });
  assert.equal(declined.status, 303);
  await waitUntil(async () => /Fix declined in review/.test(await yamlRow.getByTestId('row-fix').innerText()), 'the row shows the declined fix without a reload', 30_000);
  assert.match(await yamlRow.innerText(), /Open/);
  assert.doesNotMatch(await yamlRow.getByTestId('verdict').innerText(), /won't fix|false positive/i);

  const violations = await moderateAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  assert.deepEqual(errors, []);
  for (const width of [1440, 390]) await screenshotAppAt(browser, page, h.url, 'repository', width);
  await page.close();
});

test('below 600 px the rows stack with severity and verdict in view; axe is clean at moderate', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/outcomes/app`);
  await page.setViewportSize({ width: 390, height: 900 });
  const src = (await page.locator('iframe#forge-app').getAttribute('src')) ?? '';
  const phone = await browser.newPage({ viewport: { width: 390, height: 900 } });
  await phone.goto(`${h.url}${src}`);
  const row = phone.getByTestId('finding-row').first();
  await row.waitFor();
  for (const cell of ['.severity-cell .lozenge', '.verdict-cell .lozenge']) {
    const box = await row.locator(cell).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${cell} is on screen (${JSON.stringify(box)})`);
  }
  const violations = await moderateAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  await phone.close();
  assert.deepEqual(errors, []);
  await page.close();
});
