import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { describeViolations, launch, moderateAxeViolations, moderateAxeViolationsWithFrames, openPage, shot, waitUntil } from './browser-helpers';
import { setUpWorkspace, startHarness, type Harness } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';

/**
 * The UI Kit sidebar card in Chromium: the real card bundle (src/frontend/card.tsx) runs
 * `@forge/react`'s reconciler against the real resolvers, and the local renderer draws the
 * ForgeDoc it emits in the repository's source view, as Bitbucket would.
 */

let h: Harness;
let browser: Browser;

before(async () => {
  h = await startHarness({ seedDemo: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await h?.close();
});

interface Counts { total: number; byStatus: Record<string, number>; byVerdict: Record<string, number> }

async function invoke<T>(functionKey: string, payload: unknown, context: Record<string, unknown>): Promise<T> {
  const body = await h.invoke<T>(functionKey, payload, context);
  assert.ok(body.ok, `${functionKey} answered ${JSON.stringify(body)}`);
  return body.data as T;
}

test('the sidebar card shows the counts, open fix PRs and the last scan, and leads to the repository page', async () => {
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/acme/vulnerable-app/source`);
  const src = (await page.locator('iframe#forge-app').getAttribute('src')) ?? '';
  const context = JSON.parse(Buffer.from(new URL(src, h.url).searchParams.get('ctx') ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  assert.equal(context.moduleKey, 'remediate-card');

  // What the card should say, from the same resolvers it calls.
  const { counts } = await invoke<{ counts: Counts }>('listFindings', { limit: 1 }, context);
  const { items: pullRequests } = await invoke<{ items: { id: number; title: string; url: string; state: string }[] }>('listPullRequests', {}, context);
  const { items: scans } = await invoke<{ items: { commit: string; status: string }[] }>('listScans', {}, context);
  const open = pullRequests.filter((pr) => pr.state === 'OPEN');
  assert.ok(counts.total > 0 && open.length > 0 && scans.length > 0, 'the demo has findings, an open fix PR and a scan');

  await app.getByRole('heading', { name: 'Remediate' }).waitFor();
  const text = await app.locator('#root').innerText();
  const truePositives = counts.byVerdict.true_positive ?? 0;
  assert.match(text, new RegExp(`${counts.byStatus.open ?? 0} open of ${counts.total} findings · ${truePositives} true positive`));
  // The most severe open true positives, named by rule and place, as the resolver ranks them (the
  // demo's true positives may all have fix PRs already: then the card names none).
  const { items: top } = await invoke<{ items: { ruleId: string; path?: string; line?: number }[] }>(
    'listFindings', { filter: { status: 'open', verdict: 'true_positive' }, sort: 'severity', limit: 3 }, context);
  assert.equal(/Open true positives by severity/.test(text), top.length > 0, text);
  assert.equal(/Most severe open true positives/.test(text), top.length > 0, text);
  for (const finding of top) assert.ok(text.includes(`${finding.ruleId} · ${finding.path}:${finding.line}`), `the card names ${finding.ruleId} at ${finding.path}:${finding.line}`);
  assert.match(text, new RegExp(`Last scan just now on ${scans[0]?.commit.slice(0, 7)}`));
  assert.ok(await app.locator('.ads-lozenge', { hasText: 'done' }).count() >= 1, 'the last scan\'s state is a lozenge');
  assert.equal(await app.locator('.unsupported-component').count(), 0, 'every UI Kit component the card uses is drawn');

  for (const pr of open.slice(0, 5)) {
    const link = app.getByRole('link', { name: new RegExp(`#${pr.id} `) });
    assert.equal(await link.getAttribute('href'), pr.url);
    assert.equal(await link.getAttribute('target'), '_blank', 'pull requests open in a new tab');
  }
  await page.screenshot({ path: shot('card') });

  const violations = await moderateAxeViolationsWithFrames(page);
  assert.deepEqual(violations, [], describeViolations(violations));

  // The card's link has Bitbucket's product-URL shape; locally it leads to the framed repository page.
  const pageLink = app.getByRole('link', { name: 'Open the Remediate page' });
  assert.match((await pageLink.getAttribute('href')) ?? '', /\/forge\/[0-9a-f-]{36}\/development\/remediate-repository$/);
  await Promise.all([page.waitForURL(`${h.url}/repository/acme/vulnerable-app`), pageLink.click()]);
  await page.frameLocator('iframe#forge-app').getByTestId('finding-row').first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the card for a repository with no scans points to the CI upload', async () => {
  await h.admin('/repositories/acme/empty-app', { files: { 'README.md': 'nothing yet\n' } });
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/acme/empty-app/source`);
  await app.getByText(/No scans yet: upload SARIF from CI/).waitFor();
  await app.getByText('No open fix pull requests.').waitFor();
  await page.screenshot({ path: shot('card-empty') });
  const violations = await moderateAxeViolationsWithFrames(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  assert.deepEqual(errors, []);
  await page.close();
});

test('empty and error states say what happened and what to do, and pass axe', async () => {
  // The repository page of a repository without scans.
  const empty = await openPage(browser, `${h.url}/repository/acme/empty-app`);
  await empty.app.getByTestId('empty-state').getByText(/No scans yet — upload SARIF from CI; see the settings page/).waitFor();
  let violations = await moderateAxeViolations(empty.page);
  assert.deepEqual(violations, [], `empty repository page: ${describeViolations(violations)}`);
  await empty.page.close();

  // The host fails listFindings: the page says so and offers to try again, which then works.
  const failing = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  let fail = true;
  await failing.route('**/forge/invoke', async (route) => {
    const body = route.request().postDataJSON() as { functionKey?: string };
    if (fail && body.functionKey === 'listFindings') {
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'database is locked' } }) });
    } else {
      await route.continue();
    }
  });
  await failing.goto(`${h.url}/repository/acme/vulnerable-app`);
  const app = failing.frameLocator('iframe#forge-app');
  await app.getByText('The findings could not be loaded').waitFor();
  assert.match(await app.getByRole('alert').first().innerText(), /Remediate did not answer \(the local host answered 503: database is locked\)\. Try again in a moment/);
  violations = await moderateAxeViolations(failing);
  assert.deepEqual(violations, [], `error state: ${describeViolations(violations)}`);
  await failing.screenshot({ path: shot('repository-error') });
  fail = false;
  await app.getByRole('button', { name: 'Try again' }).first().click();
  await app.getByTestId('finding-row').first().waitFor();
  await failing.close();

  // The card when a resolver refuses: the resolver's own message in an error section message.
  const card = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await card.route('**/forge/invoke', async (route) => {
    const body = route.request().postDataJSON() as { functionKey?: string };
    if (body.functionKey !== 'listScans') return route.continue();
    return route.fulfill({
      status: 200, contentType: 'application/json',
      body: JSON.stringify({ ok: false, error: { code: 'not_configured', message: 'Remediate has no Bitbucket service account for this workspace yet.' } }),
    });
  });
  await card.goto(`${h.url}/repository/acme/vulnerable-app/source`);
  const cardApp = card.frameLocator('iframe#forge-app');
  await cardApp.getByRole('heading', { name: 'Remediate could not load' }).waitFor();
  await cardApp.getByText('Remediate has no Bitbucket service account for this workspace yet.').waitFor();
  violations = await moderateAxeViolationsWithFrames(card);
  assert.deepEqual(violations, [], `card error: ${describeViolations(violations)}`);
  await card.screenshot({ path: shot('card-error') });
  await card.close();
});

test('the local renderer maps each UI Kit prop the card uses after ADS, and shows an unsupported component plainly', async () => {
  const { page, app } = await openPage(browser, `${h.url}/repository/acme/vulnerable-app/source`);
  await app.getByRole('heading', { name: 'Remediate' }).waitFor();
  const frame = page.frames().find((f) => f.url().includes('/ui/card/'));
  assert.ok(frame);
  const node = (type: string, props: Record<string, unknown>, children: unknown[] = []) => ({ type, props, children });
  const text = (value: string) => node('String', { text: value });
  const doc = node('Root', {}, [
    node('Stack', { space: 'space.200' }, [
      node('Heading', { size: 'large' }, [text('Large')]),
      node('Heading', { size: 'small', as: 'h2' }, [text('Small as h2')]),
      node('Inline', { space: 'space.050', alignBlock: 'center', shouldWrap: true }, [node('Lozenge', { appearance: 'removed', isBold: true }, [text('bold')])]),
      node('Text', { weight: 'bold' }, [node('Link', { href: '/somewhere' }, [text('in the product')])]),
      node('SectionMessage', { appearance: 'warning', title: 'Careful' }, [node('Text', {}, [text('body')])]),
      node('Spinner', { label: 'Loading things' }),
      node('Table', {}, [text('rows')]),
    ]),
  ]);
  // A string, not a function: the test runner's transform would add helpers the page does not have.
  const drawn = await frame.evaluate(`(async (forgeDoc) => {
    await window.__bridge.callBridge('reconcile', { forgeDoc });
    const root = document.getElementById('root');
    const q = (selector) => root.querySelector(selector);
    return {
      stackGap: q('.ads-stack')?.style.gap,
      large: q('h2.ads-heading-large')?.textContent,
      smallAs: q('h2.ads-heading-small')?.textContent,
      inline: [q('.ads-inline')?.style.alignItems, q('.ads-inline')?.style.flexWrap, q('.ads-inline')?.style.gap],
      lozenge: q('.ads-lozenge')?.className,
      linkTarget: q('a.ads-link')?.getAttribute('target'),
      boldText: q('p.ads-text-bold') !== null,
      section: [q('section.ads-section-message-warning')?.getAttribute('role'), q('.ads-section-message-title')?.textContent],
      spinner: q('.ads-spinner')?.getAttribute('aria-label'),
      unsupported: q('.unsupported-component')?.textContent,
    };
  })(${JSON.stringify(doc)})`);
  assert.deepEqual(drawn, {
    stackGap: '16px',
    large: 'Large',
    smallAs: 'Small as h2',
    inline: ['center', 'wrap', '4px'],
    lozenge: 'ads-lozenge ads-lozenge-removed ads-lozenge-bold',
    linkTarget: '_top',
    boldText: true,
    section: ['alert', 'Careful'],
    spinner: 'Loading things',
    unsupported: 'Unsupported UI Kit component Table: rows',
  });
  await page.close();
});

test('the card follows a new upload without a reload (issue 15: the card is live too)', async () => {
  const ws = await setUpWorkspace(h, 'card-live', vulnerablePython);
  const { page, app, errors } = await openPage(browser, `${h.url}/repository/card-live/app/source?accountId=${encodeURIComponent(ws.adminAccountId)}`);
  await app.getByText(/No scans yet: upload SARIF from CI/).waitFor();
  const upload = await h.upload({ repository: 'card-live/app', commit: ws.commit, branch: 'main' }, sarifLog([yamlFinding()]), { Authorization: `Bearer ${ws.uploadToken}` });
  assert.equal(upload.status, 202);
  const started = Date.now();
  await waitUntil(async () => /of 1 findings/.test(await app.locator('#root').innerText()), 'the card shows the new finding', 30_000);
  assert.match(await app.locator('#root').innerText(), /Last scan just now/);
  console.log(`# the card showed the upload's finding ${((Date.now() - started) / 1000).toFixed(1)} s after it, without a reload`);
  const violations = await moderateAxeViolationsWithFrames(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: shot(`card-${width}`), fullPage: true });
  }
  assert.deepEqual(errors, []);
  await page.close();
});
