/**
 * Property: whatever SARIF-like body arrives, the web trigger handler answers with a JSON status
 * below 500 and, when it refuses, a code and a message — it never throws or crashes. The first test
 * sends 2,000 mutants of the real fixtures over HTTP (issue 14's fuzz test): each is accepted (202)
 * or refused with a 4xx that fits the body (400 naming a JSON path, 413), with `/healthz` polled
 * throughout and every page of `listFindings` measured after a sample of them was processed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setUpWorkspace, startHarness, type Harness, type Workspace } from './support/harness';
import { sarifLog, vulnerablePython, yamlFinding } from './support/sarif';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { watchHealthz } from './support/healthz-watch';
import { fixtureFiles, fixtureWindows, mutate as mutateFixture, seeded } from './support/sarif-mutants';
import { processScan } from '../src/services/scan/process-scan';
import { syntheticSarif } from '../bench/synthetic-sarif';
import { MAX_DECOMPRESSED_BYTES } from '../src/services/upload/decode-body';

let h: Harness;
let ws: Workspace;
before(async () => {
  h = await startHarness();
  ws = await setUpWorkspace(h, 'fuzz-ws', vulnerablePython);
  // Accepted uploads would queue real work; stop the queue so the property is about the trigger.
  await h.host.app.queue.stop();
  // Each accepted upload checks the repository once: thousands of them pass Bitbucket's hourly limit,
  // which the emulator enforces. This test is about the web trigger, not that limit.
  await h.admin('/rate-limit', { perHour: 1_000_000 });
});
after(async () => h.close());

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const base = JSON.parse(sarifLog([yamlFinding(), { ...yamlFinding(3), ruleId: 'other-rule' }])) as Json;

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const own = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...own, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (value && typeof value === 'object') return [...own, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return own;
}
const allPaths = paths(base);

function mutate(path: (string | number)[], replacement: Json | undefined): Json {
  const copy = structuredClone(base);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

async function send(body: string) {
  return h.host.app.sarifUpload(
    {
      method: 'POST',
      headers: { authorization: [`Bearer ${ws.uploadToken}`], 'content-type': ['application/sarif+json'] },
      queryParameters: { repository: ['fuzz-ws/app'], commit: [ws.commit] },
      body,
    },
    {},
  );
}

function assertWellFormed(response: { statusCode: number; body: string }) {
  assert.ok(response.statusCode < 500, `status ${response.statusCode}: ${response.body}`);
  const json = JSON.parse(response.body) as { error?: { code?: string; message?: string } };
  if (response.statusCode >= 400) {
    assert.equal(typeof json.error?.code, 'string', response.body);
    assert.ok((json.error?.message ?? '').length > 0, response.body);
  }
}

const MUTANTS = 2_000;
/** Accepted mutants whose scan job is run, so `listFindings` has their findings to page through. */
const PROCESS_EVERY = 100;

/** What a 4xx refusal of a body may be: the body's fault, never the token's or the repository's. */
const bodyRefusals: Record<number, string[]> = { 400: ['invalid_sarif', 'bad_request'], 413: ['payload_too_large'] };

test(`${MUTANTS} mutants of the real fixtures over HTTP: each accepted or refused with the right 4xx, /healthz within 1 s, findings pages under 1 MB`, { timeout: 240_000 }, async (t) => {
  const windows = fixtureWindows(fixtureFiles(resolve(import.meta.dirname, '..')));
  assert.ok(windows.length >= 20, `${windows.length} fixture windows`);
  const random = seeded(20261206);
  const db = h.host.app.deps.db;
  const tally = new Map<string, number>();
  const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
  const processed: string[] = [];
  let accepted = 0;
  const watch = watchHealthz(h.url);
  const started = performance.now();
  let health = { slowestMs: Number.NaN, answers: 0 };
  try {
    for (let i = 0; i < MUTANTS; i++) {
      const mutant = mutateFixture(windows, random);
      const before = (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM scans'))[0]?.n;
      const response = await h.upload({ repository: 'fuzz-ws/app', commit: ws.commit }, mutant.body, { Authorization: `Bearer ${ws.uploadToken}`, ...mutant.headers });
      const what = `mutant ${i} (${mutant.kinds.join(', ')}): ${response.status} ${JSON.stringify(response.json).slice(0, 300)}`;
      assert.ok(response.status === 202 || response.status in bodyRefusals, what);
      if (mutant.expect) assert.deepEqual([response.status, response.json.error?.code], [mutant.expect.status, mutant.expect.code], what);
      if (response.status === 202) {
        accepted++;
        count('accepted: 202');
        assert.equal(typeof response.json.scanId, 'string', what);
        const scanId = response.json.scanId as string;
        if (accepted % PROCESS_EVERY === 1) {
          // The real scan job, run here (the queue is stopped): its findings go to listFindings.
          await processScan(h.host.app.deps, scanId);
          processed.push(scanId);
        } else {
          // Waiting scans would soon be refused with 429: this one was only about the answer.
          await db.execute('DELETE FROM scan_uploads WHERE scan_id = ?', [scanId]);
          await db.execute('DELETE FROM scans WHERE id = ?', [scanId]);
        }
      } else {
        const { code, message } = response.json.error ?? {};
        assert.ok(bodyRefusals[response.status]!.includes(code), what);
        assert.ok(typeof message === 'string' && message.length > 0 && message.length < 2_000, what);
        if (code === 'invalid_sarif') assert.match(message, /^(runs\b|version\b|the SARIF log\b|The SARIF file is not valid JSON)/, what);
        assert.equal((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM scans'))[0]?.n, before, `${what}: a refused upload stores nothing`);
        count(`rejected: ${response.status} ${code}`);
      }
    }
  } finally {
    health = await watch.stop();
  }
  t.diagnostic(`${MUTANTS} mutants in ${Math.round(performance.now() - started)} ms; /healthz answered ${health.answers} times, slowest ${Math.round(health.slowestMs)} ms`);
  assert.ok(health.answers > 10, 'the host answered /healthz during the run');
  assert.ok(health.slowestMs < 1000, `/healthz took ${Math.round(health.slowestMs)} ms`);
  t.diagnostic(JSON.stringify(Object.fromEntries([...tally].sort())));
  assert.equal([...tally.values()].reduce((a, b) => a + b, 0), MUTANTS, 'every mutant was counted');
  assert.ok(accepted > MUTANTS / 10 && accepted < MUTANTS, `${accepted} accepted: both outcomes occur`);
  assert.ok(processed.length >= 10);

  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await h.invoke<{ items: unknown[]; nextCursor?: string }>('listFindings', { limit: 200, ...(cursor ? { cursor } : {}) }, ws.repoContext);
    assert.ok(page.ok, JSON.stringify(page.error));
    const bytes = Buffer.byteLength(JSON.stringify(page.data));
    assert.ok(bytes < 1024 * 1024, `a listFindings page is ${bytes} bytes`);
    rows += page.data!.items.length;
    cursor = page.data!.nextCursor;
  } while (cursor);
  assert.ok(rows > 0, 'the processed mutants left findings to page through');
});

test('the largest accepted body (40 MB of SARIF once decompressed) is answered within 10 s, /healthz within 1 s throughout', { timeout: 120_000 }, async () => {
  const gz = gzipSync(syntheticSarif({ maxBytes: MAX_DECOMPRESSED_BYTES - 1024 }));
  assert.ok(gz.length < 5 * 1024 * 1024);
  const watch = watchHealthz(h.url);
  const start = performance.now();
  const response = await h.upload({ repository: 'fuzz-ws/app', commit: ws.commit }, gz, { Authorization: `Bearer ${ws.uploadToken}`, 'Content-Encoding': 'gzip' });
  const ms = performance.now() - start;
  const health = await watch.stop();
  assert.equal(response.status, 202, JSON.stringify(response.json).slice(0, 300));
  assert.ok(ms < 10_000, `answered in ${Math.round(ms)} ms`);
  // A poll in flight while the upload blocks the event loop is timed by `slowestMs`; on a loaded
  // machine a fast upload may leave room for one poll only, so one answer is enough here.
  assert.ok(health.answers >= 1, `the host answered /healthz while it read the upload (upload ${Math.round(ms)} ms)`);
  assert.ok(health.slowestMs < 1000, `/healthz took ${Math.round(health.slowestMs)} ms`);
  await h.host.app.deps.db.execute('DELETE FROM scan_uploads');
  await h.host.app.deps.db.execute('DELETE FROM scans WHERE status = ?', ['queued']);
});

test('mutated SARIF documents never crash the web trigger', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: allPaths.length - 1 }),
      fc.option(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, { nil: undefined }),
      async (index, replacement) => {
        const path = allPaths[index] ?? [];
        assertWellFormed(await send(JSON.stringify(mutate(path, replacement))));
      },
    ),
    { numRuns: 300, seed: 20261128 },
  );
});

test('truncated and garbled bodies never crash the web trigger', { timeout: 60_000 }, async () => {
  const text = JSON.stringify(base);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: text.length }), fc.string({ maxLength: 20 }), async (cut, junk) => {
      assertWellFormed(await send(text.slice(0, cut) + junk));
    }),
    { numRuns: 200, seed: 20261129 },
  );
});
