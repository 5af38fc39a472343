import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { describeViolations, launch, moderateAxeViolations, openPage, screenshotAppAt, waitUntil } from './browser-helpers';
import { serviceAccount, setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';

/**
 * Issue 15, settings that check themselves, in Chromium against the local host: a wrong token is
 * never reported as saved (and the working one stays), a fresh set-up's connection test shows no
 * failure, a mistyped repository is named in words, and the kinds of fix take effect at once and
 * can be searched. Screenshots at 1440 and 390 px.
 */

let h: Harness;
let ws: Workspace;
let browser: Browser;

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'fresh-settings', { 'app.py': 'import yaml\n' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await h?.close();
});

test('a wrong token is not saved; a fresh set-up\'s connection test shows no failure; messages name repositories', async () => {
  const url = `${h.url}/workspace/fresh-settings/settings?accountId=${encodeURIComponent(ws.adminAccountId)}`;
  const { page, app, errors } = await openPage(browser, url);
  const status = app.getByTestId('token-status');
  await status.waitFor();
  const statusBefore = await status.innerText();

  // Fresh workspace, nothing scanned yet: the test picks a repository the account can read.
  await app.getByRole('button', { name: 'Test connection' }).click();
  const result = app.getByTestId('connection-result');
  await result.waitFor();
  assert.equal(await result.locator('[data-outcome="failed"]').count(), 0, await result.innerText());
  assert.match(await result.innerText(), /All checks passed\.|not tested yet/);
  assert.match(await result.innerText(), /fresh-settings\/app/);
  await page.locator('#forge-flags [data-flag-type="success"]').filter({ hasText: 'Connection checks passed' }).waitFor();

  // A mistyped repository: named in words, no encoded API path.
  await app.getByLabel(/Repository to prove write access on/).fill('ap');
  await app.getByRole('button', { name: 'Test connection' }).click();
  await waitUntil(async () => (await result.locator('[data-outcome="failed"]').count()) > 0, 'the mistyped repository fails');
  const text = await result.innerText();
  assert.match(text, /no repository "ap" in this workspace/);
  assert.doesNotMatch(text, /%7B|\/2\.0\/repositories/);
  assert.ok((await result.locator('[data-outcome="not-tested"]').count()) >= 3, 'checks that could not run are neutral');

  // A well-formed but wrong token: refused, shown as a failure, the working token kept.
  await app.getByRole('button', { name: 'Replace' }).click();
  await app.locator('input#apiToken').fill('ATATT3xWellFormedButWrong00000000000000042');
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await app.getByText('The settings were not saved').waitFor();
  assert.equal(await app.getByText('Settings saved').count(), 0, 'never reported as saved');
  assert.match(await app.locator('.section-message-error').first().innerText(), /401/);
  const refused = page.locator('#forge-flags [data-flag-type="error"]').filter({ hasText: 'The settings were not saved' });
  await refused.waitFor();
  await page.reload();
  await app.getByTestId('token-status').waitFor();
  assert.equal(await app.getByTestId('token-status').innerText(), statusBefore, 'the stored token is unchanged');
  const check = await h.invoke<{ ok: boolean }>('testConnection', {}, ws.adminContext);
  assert.equal(check.data?.ok, true, 'the old token still signs in');

  // The right token: saved, with the sign-in it ran.
  await app.getByRole('button', { name: 'Replace' }).click();
  await app.locator('input#apiToken').fill(serviceAccount('fresh-settings').token);
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await app.getByTestId('sign-in-result').getByText(/Signed in as/).waitFor();

  const violations = await moderateAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  assert.deepEqual(errors, []);
  await page.close();
});

test('kinds of fix take effect at once and can be searched and filtered by language; other policy edits warn until saved', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/workspace/fresh-settings/settings`);
  const rows = app.getByTestId('codemod-row');
  await rows.first().waitFor();
  const all = await rows.count();
  await app.getByLabel('Search kinds of fix').fill('yaml');
  await waitUntil(async () => (await rows.count()) > 0 && (await rows.count()) < all, 'the search narrows the list');
  for (const row of await rows.allInnerTexts()) assert.match(row, /yaml/i);
  await app.getByLabel('Search kinds of fix').fill('');
  await app.getByLabel('Language').selectOption('java');
  await waitUntil(async () => (await rows.count()) > 0 && (await rows.count()) < all, 'the language filter narrows the list');
  for (const row of await rows.allInnerTexts()) assert.match(row, /\bjava\b/i);
  const first = rows.first().getByRole('switch');
  const id = (await first.getAttribute('id')) ?? '';
  assert.equal(await first.isChecked(), true);
  await first.uncheck();
  await page.locator('#forge-flags [data-flag-type="success"]').filter({ hasText: 'turned off' }).waitFor();
  assert.equal(await app.getByTestId('unsaved-policy').count(), 0, 'a switch needs no Save');
  await page.reload();
  await app.locator(`#${id}`).waitFor();
  assert.equal(await app.locator(`#${id}`).isChecked(), false, 'saved at once');

  await app.getByLabel(/Open fix pull requests at most/).fill('7');
  await app.getByTestId('unsaved-policy').waitFor();
  await app.getByRole('button', { name: 'Save policy' }).click();
  await app.getByText('Policy saved').waitFor();
  await waitUntil(async () => (await app.getByTestId('unsaved-policy').count()) === 0, 'the warning goes once saved');

  const violations = await moderateAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  for (const width of [1440, 390]) await screenshotAppAt(browser, page, h.url, 'settings', width);
  assert.deepEqual(errors, []);
  await page.close();
});
