import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { createDefaultRegistry } from '../src/domain/codemods/registry';
import { describeViolations, launch, openPage, screenshotApp, seriousAxeViolations, shot } from './browser-helpers';
import { codeqlPythonDemoFiles, codeqlPythonDemoSarif } from './support/codeql-python-demo';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';

/**
 * In Chromium against the local host: an admin turns one kind of fix off on the settings page,
 * CodeQL output is uploaded, and a developer opens the finding — its code flow from source to
 * sink, its related location, and why no fix pull request is offered.
 */

let h: Harness;
let ws: Workspace;
let browser: Browser;


before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'detail-ws', codeqlPythonDemoFiles);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await h?.close();
});

test('settings: every kind of fix has a switch; one turned off stays off after a reload', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/workspace/detail-ws/settings`);
  const catalogue = createDefaultRegistry().all();
  const rows = app.getByTestId('codemod-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), catalogue.length, 'one switch per codemod');
  const sqlSwitch = app.locator('#codemod-sql-parameterize-python');
  assert.equal(await sqlSwitch.getAttribute('role'), 'switch');
  assert.equal(await sqlSwitch.isChecked(), true, 'on by default');
  await app.getByText(`${catalogue.length} of ${catalogue.length} on`).waitFor();
  await app.getByLabel(catalogue.find((c) => c.id === 'sql-parameterize-python')?.title ?? '?').uncheck();
  await app.getByText(`${catalogue.length - 1} of ${catalogue.length} on`).waitFor();
  await app.getByRole('button', { name: 'Save policy' }).click();
  await app.getByText('Policy saved').waitFor();

  await page.reload();
  await app.locator('#codemod-sql-parameterize-python').waitFor();
  assert.equal(await app.locator('#codemod-sql-parameterize-python').isChecked(), false, 'saved');
  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  await screenshotApp(browser, page, h.url, 'settings-codemods');
  assert.deepEqual(errors, []);
  await page.close();
});

test('repository: a finding\'s code flow, source to sink, linked at the scanned commit, and why its fix is not offered', async () => {
  const sarif = await codeqlPythonDemoSarif();
  const upload = await h.upload({ repository: 'detail-ws/app', commit: ws.commit, branch: 'main' }, sarif, { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202);
  await h.host.app.queue.idle();

  const { page, app, errors } = await openPage(browser, `${h.url}/repository/detail-ws/app`);
  const row = app.getByTestId('finding-row').filter({ hasText: 'py/sql-injection' }).filter({ hasText: 'server/routes.py:16' });
  await row.waitFor();
  await row.getByText('Fix turned off').waitFor();
  await row.locator('.rule-toggle').click();

  const detail = app.getByTestId('finding-detail');
  const steps = detail.getByTestId('code-flow-step');
  await steps.first().waitFor();
  assert.equal(await steps.count(), 7);
  assert.match(await steps.first().innerText(), /Source:\s*server\/routes\.py:2/);
  assert.match(await steps.last().innerText(), /Sink:\s*server\/routes\.py:16/);
  assert.match(await steps.first().innerText(), /ControlFlowNode for ImportMember/);
  const fileAt = `${h.url}/bitbucket/detail-ws/app/src/${ws.commit}/server/routes.py`;
  assert.equal(await steps.last().locator('a').getAttribute('href'), `${fileAt}#lines-16`);
  assert.match(await detail.getByTestId('code-flow').getAttribute('aria-label') ?? '', /7 steps from source to sink/);
  assert.match(await detail.getByTestId('related-locations').innerText(), /server\/routes\.py:2 — user-provided value/);
  assert.match(await detail.getByTestId('fix-disabled').innerText(), /turned it off in the\s+Remediate settings/);
  assert.equal(await detail.getByRole('button', { name: 'Open fix pull request' }).count(), 0, 'no fix is offered');

  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], `with the code flow open: ${describeViolations(violations)}`);
  // The app's own document at full length, with the detail open, as a person scrolls it.
  const src = (await page.locator('iframe#forge-app').getAttribute('src')) ?? '';
  const whole = await browser.newPage({ viewport: { width: 1160, height: 900 } });
  await whole.goto(`${h.url}${src}`);
  await whole.getByTestId('finding-row').filter({ hasText: 'server/routes.py:16' }).locator('.rule-toggle').click();
  await whole.getByTestId('code-flow').waitFor();
  await whole.getByTestId('finding-detail').screenshot({ path: shot('repository-code-flow') });
  await whole.close();
  assert.deepEqual(errors, []);
  await page.close();
});
