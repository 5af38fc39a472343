/**
 * Shared by the browser tests: Chromium from Debian, the app frame of a local-host page, every
 * network response recorded, full-length screenshots of the app and an axe-core scan.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type FrameLocator, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const launchArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Screenshots land here (git-ignored) so a person can look at them after a run. */
export const screenshotDir = join(process.cwd(), 'test-results', 'ui');
mkdirSync(screenshotDir, { recursive: true });
export const shot = (name: string): string => join(screenshotDir, `${name}.png`);

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs });

export interface RecordedResponse {
  url: string;
  status: number;
  body: string;
}

export interface OpenedPage {
  page: Page;
  app: FrameLocator;
  errors: string[];
  /** Every response the page and its frame received, bodies included (read as they arrive). */
  responses: RecordedResponse[];
  /** Waits until every recorded body has been read. */
  settled(): Promise<void>;
}

export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const responses: RecordedResponse[] = [];
  const reading: Promise<void>[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    reading.push(
      response.body().then(
        (body) => void responses.push({ url: response.url(), status: response.status(), body: body.toString('utf8') }),
        // Redirects and aborted loads have no body; record them empty so they are still counted.
        () => void responses.push({ url: response.url(), status: response.status(), body: '' }),
      ),
    );
  });
  await page.goto(url);
  await page.locator('iframe#forge-app').waitFor();
  return { page, app: page.frameLocator('iframe#forge-app'), errors, responses, settled: async () => void (await Promise.all(reading)) };
}

/** The app's own frame (the Custom UI iframe), for evaluating scripts in it. */
export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe#forge-app').elementHandle();
  const frame = await handle?.contentFrame();
  assert.ok(frame, 'the app iframe has a frame');
  return frame;
}

/** The iframe's own document at full length: Forge sizes the frame to its content, so this is what a user scrolls. */
export async function screenshotApp(browser: Browser, page: Page, baseUrl: string, name: string): Promise<void> {
  const src = await page.locator('iframe#forge-app').getAttribute('src');
  assert.ok(src);
  const whole = await browser.newPage({ viewport: { width: 1160, height: 900 } });
  await whole.goto(`${baseUrl}${src}`);
  await whole.locator('main h1').waitFor();
  await whole.waitForLoadState('networkidle');
  await whole.screenshot({ path: shot(name), fullPage: true });
  await whole.close();
}

/** The app's own document at full length at a given width (1440 for a desktop, 390 for a phone), with a way to set it up first. */
export async function screenshotAppAt(
  browser: Browser, page: Page, baseUrl: string, name: string, width: number, prepare?: (whole: Page) => Promise<void>,
): Promise<void> {
  const src = await page.locator('iframe#forge-app').getAttribute('src');
  assert.ok(src);
  const whole = await browser.newPage({ viewport: { width, height: 900 } });
  await whole.goto(`${baseUrl}${src}`);
  await whole.locator('main h1').waitFor();
  await whole.waitForLoadState('networkidle');
  if (prepare) await prepare(whole);
  await whole.screenshot({ path: shot(`${name}-${width}`), fullPage: true });
  await whole.close();
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting until ${what}`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.x A/AA and best practices) in the app frame; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const frame = await appFrame(page);
  // evaluate() goes through the DevTools protocol, so the page's script policy does not block it.
  await frame.evaluate(axeSource);
  const violations = await frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** The moderate, serious and critical violations axe finds in the app frame (issue 15 asks for none). */
export async function moderateAxeViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolationsIn(await appFrame(page))).filter((violation) => violation.impact !== 'minor' && violation.impact !== null);
}

/** axe in any frame or page (the card's frame, a page opened on the app's own document). */
export async function axeViolationsIn(frame: Frame | Page): Promise<AxeViolation[]> {
  await frame.evaluate(axeSource);
  return frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })),
    }));
  });
}

/**
 * axe over the whole framed page, frames included, as a person meets it: page-level rules (one
 * h1, landmarks) apply to the product page around the app, the rest to every frame. Used for the
 * UI Kit card, which the product renders into its own page.
 */
export async function moderateAxeViolationsWithFrames(page: Page): Promise<AxeViolation[]> {
  for (const frame of page.frames()) await frame.evaluate(axeSource);
  const violations = await page.mainFrame().evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], iframes: true });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })),
    }));
  });
  return violations.filter((violation) => violation.impact !== 'minor' && violation.impact !== null);
}

export const describeViolations = (violations: AxeViolation[]): string =>
  violations.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
