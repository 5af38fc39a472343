import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEMO_SERVICE_ACCOUNT, SERVICE_ACCOUNT_SCOPES } from '../src/local/demo-seed';
import {
  describeViolations, launch, openPage, screenshotApp, seriousAxeViolations, shot, waitUntil,
} from './browser-helpers';
import { startHarness, type Harness } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

/**
 * Drives both Custom UI pages in Chromium against the real local host (seeded demo, resolvers,
 * web trigger, emulator), framed as Bitbucket would show them: the settings flow an admin goes
 * through, an upload with the token the page showed, and what a developer then does with the
 * findings. Screenshots go to test-results/ui/.
 */

let h: Harness;
let browser: Browser;
const service = { username: 'ci-fixer', email: 'ci-fixer@acme.example', token: 'ATATT3xBrowserTestToken000000000000000001' };
/** What the settings test leaves for the repository tests: the SARIF upload it made with the shown token. */
let uploaded: { repoSlug: string } | undefined;

before(async () => {
  h = await startHarness({ seedDemo: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await h?.close();
});

async function uploadSarif(uploadUrl: string, token: string, repository: string, commit: string, sarif: string): Promise<number> {
  const response = await fetch(`${uploadUrl}?repository=${repository}&commit=${commit}&branch=main`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/sarif+json' }, body: sarif,
  });
  const text = await response.text();
  assert.ok(response.status < 500, text);
  return response.status;
}

test('settings: save credentials, the token stays write-only, test the connection, rotate, revoke and use the upload token', async () => {
  const { page, app, errors, responses, settled } = await openPage(browser, `${h.url}/workspace/acme/settings`);
  const username = app.getByLabel('Username');
  await username.waitFor();
  assert.equal(await username.inputValue(), DEMO_SERVICE_ACCOUNT.username);
  await app.getByTestId('token-status').getByText(/A token is set \(set .+ by .+\)/).waitFor();
  assert.equal(await app.locator('input[type="password"]').count(), 0);

  // Inline validation catches an email in the username field and an app password.
  await username.fill('ci-fixer@acme.example');
  await app.getByRole('button', { name: 'Replace' }).click();
  const tokenInput = app.locator('input#apiToken');
  assert.equal(await tokenInput.inputValue(), '', 'the stored token is never put in the field');
  await tokenInput.fill('ATBBapppassword1234567890');
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await app.getByText('This looks like an email address.', { exact: false }).waitFor();
  await app.getByText(/app password .*no longer work since 2026/).waitFor();
  await page.screenshot({ path: shot('settings-validation') });

  await h.admin('/users', { ...service, displayName: 'CI Fixer', scopes: SERVICE_ACCOUNT_SCOPES, workspaces: { acme: 'member' } });
  await username.fill(service.username);
  await app.getByLabel('Email address').fill(service.email);
  await tokenInput.fill(service.token);
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await app.getByText('Settings saved').waitFor();
  await app.getByTestId('token-status').getByText('A token is set (set just now by you).').waitFor();

  // Reload: the token is described, never shown, and no response ever carried it.
  await page.reload();
  await app.getByTestId('token-status').getByText(/A token is set \(set .+ by .+\)/).waitFor();
  assert.equal(await app.getByLabel('Username').inputValue(), service.username);
  const frameHtml = await app.locator('html').innerHTML();
  for (const secret of [service.token, DEMO_SERVICE_ACCOUNT.token]) {
    assert.ok(!frameHtml.includes(secret), 'the API token is not in the page');
    assert.ok(!(await page.content()).includes(secret));
  }

  // The connection test, proving write access on a chosen repository.
  await app.getByLabel(/Repository to prove write access on/).fill('vulnerable-app');
  await app.getByRole('button', { name: 'Test connection' }).click();
  await app.getByTestId('connection-result').getByText('All checks passed.').waitFor();
  const checks = await app.getByTestId('connection-check').allInnerTexts();
  assert.ok(checks.length >= 8, `one line per check: ${checks.join(' | ')}`);
  assert.ok(checks.some((line) => /write/i.test(line)), 'write access is checked');

  // Policy: every field is there; caps and path excludes are saved and come back after a reload.
  await app.getByLabel(/Open fix pull requests at most/).fill('20');
  await app.getByLabel(/New pull requests per scan at most/).fill('3');
  await app.getByLabel('Paths to leave alone').fill('vendor/**\n**/*.min.js');
  await app.getByLabel('CWEs to ignore').fill('327');
  assert.equal(await app.getByLabel(/Code Insights report/).isChecked(), true);
  // Off, so the upload below leaves its finding for a person to fix from the repository page.
  await app.getByLabel(/Open fix pull requests automatically/).uncheck();
  await app.getByRole('button', { name: 'Save policy' }).click();
  await app.getByText('Policy saved').waitFor();

  // Rotate (confirmed first), then revoke, then generate the token CI will use.
  await app.getByRole('button', { name: 'Rotate upload token' }).click();
  await app.getByRole('button', { name: 'Rotate now' }).click();
  const rotated = await app.getByTestId('upload-token-value').innerText();
  assert.match(rotated, /^rmd_[0-9a-f-]{36}_[A-Za-z0-9_-]+$/);
  const uploadUrl = await app.getByTestId('upload-url').innerText();
  assert.match(uploadUrl, /\/forge\/webtrigger\/sarif-upload$/);
  await app.getByRole('button', { name: 'Revoke' }).click();
  await app.getByRole('button', { name: 'Revoke now' }).click();
  await app.getByTestId('upload-token-status').getByText(/No upload token is active/).waitFor();
  assert.equal(await uploadSarif(uploadUrl, rotated, 'acme/vulnerable-app', 'a'.repeat(40), sarifLog([])), 401, 'a revoked token is refused');
  await app.getByRole('button', { name: 'Generate upload token' }).click();
  const token = await app.getByTestId('upload-token-value').innerText();
  assert.notEqual(token, rotated);

  // Ready-to-paste steps for four CIs, with the real upload URL and the token from a secured variable.
  const pipelines = await app.getByTestId('pipelines-snippet').innerText();
  assert.ok(pipelines.includes(`"${uploadUrl}?repository=$BITBUCKET_REPO_FULL_NAME&commit=$BITBUCKET_COMMIT&branch=$BITBUCKET_BRANCH"`));
  assert.match(pipelines, /Authorization: Bearer \$REMEDIATE_UPLOAD_TOKEN/);
  const expected: Record<string, RegExp> = {
    Jenkins: /credentialsId: 'remediate-upload-token'[\s\S]*repository=acme\/vulnerable-app&commit=\$GIT_COMMIT/,
    'GitHub Actions': /secrets\.REMEDIATE_UPLOAD_TOKEN[\s\S]*commit=\$\{\{ github\.sha \}\}/,
    CircleCI: /Bearer \$REMEDIATE_UPLOAD_TOKEN[\s\S]*commit=\$CIRCLE_SHA1/,
  };
  for (const [tab, pattern] of Object.entries(expected)) {
    await app.getByRole('tab', { name: tab }).click();
    if (tab === 'Jenkins') await app.getByLabel(/Bitbucket repository/).fill('acme/vulnerable-app');
    const snippet = await app.getByTestId('ci-snippet').innerText();
    assert.match(snippet, pattern, tab);
    assert.ok(snippet.includes(uploadUrl), `${tab} posts to the real upload URL`);
    assert.ok(!snippet.includes(token), `${tab} never embeds the token`);
  }
  await app.getByRole('tab', { name: 'Bitbucket Pipelines' }).click();
  await page.screenshot({ path: shot('settings') });

  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  await screenshotApp(browser, page, h.url, 'settings-full');

  // CI uploads with the token the page showed.
  const repo = await h.admin<{ commit: string }>('/repositories/acme/browser-app', { files: vulnerablePython, mainbranch: 'main' });
  assert.equal(await uploadSarif(uploadUrl, token, 'acme/browser-app', repo.commit, sarifLog([yamlFinding()])), 202);
  await h.host.app.queue.idle();
  uploaded = { repoSlug: 'browser-app' };

  // Shown once; the policy persisted; still no response carried the API token.
  await page.reload();
  await app.getByTestId('upload-token-status').getByText('An upload token is active', { exact: false }).waitFor();
  assert.equal(await app.getByTestId('upload-token-value').count(), 0);
  assert.equal(await app.getByLabel(/Open fix pull requests at most/).inputValue(), '20');
  assert.equal(await app.getByLabel('Paths to leave alone').inputValue(), 'vendor/**\n**/*.min.js');
  assert.equal(await app.getByLabel(/Open fix pull requests automatically/).isChecked(), false);
  assert.equal(await app.getByLabel('CWEs to ignore').inputValue(), 'CWE-327');
  await settled();
  assert.ok(responses.some((r) => r.url.endsWith('/forge/invoke') && r.body.includes('"hasApiToken":true')), 'settings responses were recorded');
  for (const response of responses) {
    for (const secret of [service.token, DEMO_SERVICE_ACCOUNT.token]) {
      assert.ok(!response.body.includes(secret), `the API token is absent from ${response.url}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('repository: the uploaded finding, a fix PR for the selection, its diff, a followed PR link, a dismissal and its undo', async () => {
  assert.ok(uploaded, 'the settings test uploaded SARIF');
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/acme/${uploaded.repoSlug}`);
  const rows = app.getByTestId('finding-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /avoid-pyyaml-load[\s\S]*loader\.py:5/);
  await app.getByTestId('scan-row').first().waitFor();
  assert.match(await app.getByTestId('scan-row').first().innerText(), /1 result → 1 finding/);

  assert.match(await app.getByTestId('scan-row').first().innerText(), /none/, 'no results were skipped');

  // Automatic PRs are off: tick the finding and open its fix pull request.
  await rows.first().getByTestId('row-check').check();
  await app.getByRole('button', { name: 'Open fix pull requests for 1' }).click();
  await app.getByTestId('bulk-outcome').getByText('Fix pull request opened').waitFor();
  await rows.first().locator('a[href*="/pull-requests/"]').waitFor();

  await rows.first().click();
  const detail = app.getByTestId('finding-detail');
  const diff = detail.getByTestId('diff');
  await diff.waitFor();
  assert.match(await diff.locator('.diff-add').first().innerText(), /yaml\.safe_load/);
  assert.match(await diff.locator('.diff-del').first().innerText(), /yaml\.load/);

  const fileLink = await detail.getByTestId('finding-location').locator('a').getAttribute('href');
  assert.match(fileLink ?? '', /\/bitbucket\/acme\/browser-app\/src\/[0-9a-f]{40}\/loader\.py#lines-5$/, 'the location links to the file at the scanned commit');

  // Follow the PR link: it opens the pull request in the (emulated) Bitbucket.
  const link = detail.locator('a[href*="/pull-requests/"]');
  const href = (await link.getAttribute('href')) ?? '';
  assert.ok(href.startsWith(`${h.url}/bitbucket/acme/browser-app/pull-requests/`), href);
  const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await popup.waitForLoadState();
  assert.equal(popup.url(), href);
  await popup.close();
  const id = href.split('/').pop();
  const auth = Buffer.from(`${service.email}:${service.token}`).toString('base64');
  const pr = await fetch(`${h.url}/bitbucket/2.0/repositories/acme/browser-app/pullrequests/${id}`, { headers: { Authorization: `Basic ${auth}` } });
  assert.equal(pr.status, 200, 'the linked pull request exists');
  const prJson = (await pr.json()) as { id: number; state: string; links: { html: { href: string } } };
  assert.equal(prJson.links.html.href, href, 'the link is the pull request\'s own page');
  assert.equal(prJson.state, 'OPEN');
  await page.screenshot({ path: shot('repository-detail') });

  // Dismiss with a reason, then undo: the verdict comes back as it was, not a guess.
  const verdictBefore = await rows.first().getByTestId('verdict').innerText();
  await detail.getByRole('button', { name: 'Dismiss…' }).click();
  await detail.getByLabel('Dismiss as').selectOption('wont_fix');
  await detail.getByLabel(/Reason/).fill('Only loads our own config files.');
  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], `with the detail and dismiss form open: ${describeViolations(violations)}`);
  await detail.getByRole('button', { name: 'Dismiss finding' }).click();
  await waitUntil(async () => /won't fix/i.test(await rows.first().getByTestId('verdict').innerText()), 'the row shows the dismissal');
  await detail.getByText(/Dismissed by a person: Only loads our own config files\./).waitFor();
  await detail.getByRole('button', { name: 'Undo dismissal' }).click();
  await waitUntil(async () => (await rows.first().getByTestId('verdict').innerText()) === verdictBefore, 'the dismissal is undone');
  await detail.getByRole('button', { name: 'Dismiss…' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('repository: the demo\'s findings filter by verdict, tool and path, sort, and pass axe', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/acme/vulnerable-app`);
  const rows = app.getByTestId('finding-row');
  await rows.first().waitFor();
  await app.getByTestId('summary').waitFor();
  await app.getByTestId('pull-requests').waitFor();
  await app.getByTestId('scan-row').first().waitFor();
  const all = await rows.count();
  assert.ok(all >= 3, `the demo has findings (${all})`);
  await page.screenshot({ path: shot('repository') });

  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));

  await app.locator('select[name="verdict"]').selectOption('false_positive');
  await waitUntil(async () => {
    const verdicts = await app.getByTestId('verdict').allInnerTexts();
    return verdicts.length > 0 && verdicts.length < all && verdicts.every((text) => /false positive/i.test(text));
  }, 'only false positives are listed');
  await app.getByTestId('result-count').getByText(/of \d+ findings match/).waitFor();
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await waitUntil(async () => (await rows.count()) === all, 'every finding is back');

  const firstPath = (await app.locator('td.location').first().innerText()).split(':')[0] ?? '';
  await app.locator('input[name="path"]').fill(firstPath);
  await waitUntil(async () => {
    const paths = await app.locator('td.location').allInnerTexts();
    return paths.length > 0 && paths.length < all && paths.every((text) => text.includes(firstPath));
  }, `only findings under ${firstPath} are listed`);
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await app.locator('input[name="tool"]').fill('no-such-scanner');
  await app.getByText('No findings match these filters.').waitFor();
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await waitUntil(async () => (await rows.count()) === all, 'every finding is back');

  await app.locator('select[name="sort"]').selectOption('path');
  await waitUntil(async () => {
    const paths = (await app.locator('td.location').allInnerTexts()).map((text) => text.replace(/:\d+$/, ''));
    return paths.length === all && paths.every((p, i) => i === 0 || (paths[i - 1] ?? '') <= p);
  }, 'findings are sorted by location');
  await screenshotApp(browser, page, h.url, 'repository-full');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a workspace member who is not an admin is told so on the settings page', async () => {
  const member = h.host.demo?.memberAccountId;
  assert.ok(member, 'the demo seeds a member');
  const { page, app, errors } = await openPage(browser, `${h.url}/workspace/acme/settings?accountId=${encodeURIComponent(member)}`);
  await app.getByTestId('not-admin').waitFor();
  assert.match(await app.getByTestId('not-admin').innerText(), /workspace admins/i);
  assert.equal(await app.getByLabel('Username').count(), 0, 'no form for a non-admin');
  await page.screenshot({ path: shot('settings-not-admin') });
  assert.deepEqual(errors, []);
  await page.close();
});
