import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { severities, type Finding } from '../src/domain/finding';
import { FindingsRepository } from '../src/storage/findings-repository';
import { describeViolations, launch, moderateAxeViolations, openPage, screenshotAppAt, waitUntil } from './browser-helpers';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';

/**
 * Issue 15, lists that can be worked through, in Chromium against the local host: 2,500 findings
 * in numbered pages of 50 or 100, with filters, page size and page kept in the page's route
 * through the bridge's history, so a reload shows the same rows. Free-text search and grouping.
 */

let h: Harness;
let ws: Workspace;
let browser: Browser;
const total = 2500;

function synthetic(i: number): Finding {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  return {
    id: `p${String(i).padStart(6, '0')}`, workspaceId: ws.workspaceId, repoUuid: ws.repoUuid, fingerprint: `paging-${i}`,
    ruleId: `python.lang.security.rule-${i % 25}`, ruleName: `Rule number ${i % 25}`,
    tools: [{ name: i % 3 === 0 ? 'CodeQL' : 'Semgrep OSS' }], severity: severities[i % severities.length] ?? 'info', cwes: ['CWE-89'],
    message: `Finding ${i}: user input reaches a query${i === 1234 ? ' through the needle-in-haystack path' : ''}.`,
    location: { path: `src/module${i % 40}/file${i}.py`, startLine: (i % 300) + 1 }, commit: ws.commit,
    status: 'open', verdict: i % 4 === 0 ? 'false_positive' : 'true_positive', confidence: i % 101,
    justification: 'Synthetic finding for the paging test.', factors: [], firstSeenScanId: 'scan-1', lastSeenScanId: 'scan-1', createdAt: at, updatedAt: at,
  };
}

before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'paging', { 'a.py': 'x = 1\n' });
  await new FindingsRepository(h.host.app.deps.db).upsertMany(Array.from({ length: total }, (_, i) => ({ finding: synthetic(i) })));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await h?.close();
});

test('2,500 findings page in pages of 50 and 100; the route keeps filters, size and page across a reload', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/paging/app`);
  const rows = app.getByTestId('finding-row');
  await waitUntil(async () => (await rows.count()) === 50, 'the first page has 50 rows', 15_000);
  const count = app.getByTestId('result-count');
  assert.match(await count.innerText(), /2500 findings · showing 1–50/);

  const started = Date.now();
  await app.getByTestId('pager').getByRole('button', { name: 'Page 50', exact: true }).click();
  await waitUntil(async () => /showing 2451–2500/.test(await count.innerText()), 'the last page, in one click');
  const lastPageMs = Date.now() - started;
  assert.match(page.url(), /#\/\?page=50$/);

  await app.getByTestId('pager').getByRole('combobox').selectOption('100');
  await waitUntil(async () => (await rows.count()) === 100, 'pages of 100');
  await app.locator('select[name="verdict"]').selectOption('true_positive');
  await waitUntil(async () => /1875 of 2500 findings match/.test(await count.innerText()), 'the filter applies');
  await app.getByTestId('pager').getByRole('button', { name: 'Page 3', exact: true }).click();
  await waitUntil(async () => /showing 201–300/.test(await count.innerText()), 'page 3 of the filtered set');
  const firstOnPage3 = await rows.first().locator('.rule-toggle').innerText();
  assert.match(page.url(), /verdict=true_positive/);
  assert.match(page.url(), /size=100/);
  assert.match(page.url(), /page=3/);
  const height = await (await (await page.locator('iframe#forge-app').elementHandle())?.contentFrame())?.evaluate(() => document.documentElement.scrollHeight);

  await page.reload();
  await waitUntil(async () => (await app.getByTestId('result-count').count()) === 1 && /showing 201–300/.test(await app.getByTestId('result-count').innerText()), 'the reload shows page 3 again', 15_000);
  assert.equal(await app.locator('select[name="verdict"]').inputValue(), 'true_positive');
  assert.equal(await rows.first().locator('.rule-toggle').innerText(), firstOnPage3);
  // Back goes to the previous state of the list, as in any page.
  await page.goBack();
  await waitUntil(async () => /showing 1–100/.test(await app.getByTestId('result-count').innerText()), 'back returns to page 1');

  // Free text over path, rule and message; groups by rule with counts, one click to filter to a group.
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await app.locator('input[name="q"]').fill('needle-in-haystack');
  await waitUntil(async () => (await rows.count()) === 1, 'the search finds the one message');
  await app.locator('input[name="q"]').fill('');
  await app.locator('select[name="group"]').selectOption('rule');
  const groups = app.getByTestId('group');
  await waitUntil(async () => (await groups.count()) === 25, 'one group per rule');
  assert.match(await groups.first().innerText(), /^100\s+Rule number/);
  await groups.first().getByRole('button').click();
  await waitUntil(async () => /100 of 2500 findings match/.test(await app.getByTestId('result-count').innerText()), 'the group\'s findings');
  assert.match(page.url(), /rule=/);

  // Select every finding of the group across its two pages of 50, then act on all of them at once.
  await app.getByTestId('pager').getByRole('combobox').selectOption('50');
  await waitUntil(async () => (await rows.count()) === 50, 'pages of 50 again');
  await app.getByRole('checkbox', { name: 'Select every finding on this page' }).check();
  await app.getByRole('button', { name: 'Select all 100 matching' }).click();
  await app.getByTestId('selected-count').getByText('All 100 matching findings selected').waitFor();
  await app.getByRole('button', { name: 'Open fix pull requests for the fixable ones' }).click();
  const outcome = app.getByTestId('bulk-outcome');
  await outcome.getByText('No pull request was opened').waitFor();
  // The synthetic findings' scan is not stored, so Remediate cannot read their files: refused, with why.
  assert.match(await outcome.locator('.section-message').getAttribute('class') ?? '', /section-message-error/);
  assert.match(await outcome.innerText(), /No pull request was opened\s+\S.{10,}/);
  await app.getByTestId('bulk-actions').getByRole('button', { name: 'Dismiss…' }).click();
  await app.getByLabel('Reason (kept with each finding)').fill('Generated code, never deployed.');
  await app.getByRole('button', { name: 'Dismiss 100' }).click();
  await outcome.getByText(/100 findings dismissed as false positive/).waitFor();
  await waitUntil(async () => /\b100\s+Dismissed/i.test(await app.getByTestId('summary').innerText()), 'the summary counts the dismissals without a reload');

  const violations = await moderateAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  console.log(`# last of 50 pages shown ${lastPageMs} ms after one click; a page of 100 rows is ${height} px tall`);
  for (const width of [1440, 390]) await screenshotAppAt(browser, page, h.url, 'repository-paging', width);
  assert.deepEqual(errors, []);
  await page.close();
});
