/**
 * The web trigger's normalising (src/services/upload/normalise-upload.ts): it gives the event loop
 * back while it works, and its unhashed fingerprints count exactly what the scan job's hashed ones do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseUpload } from '../src/services/upload/normalise-upload';
import { syntheticSarif } from '../bench/synthetic-sarif';

const fixtures = join(import.meta.dirname, 'fixtures/sarif');
/** The team's shared real-scanner fixtures, read where this checkout has them (not part of the repository). */
const sharedFixtures = '/work/shared/fixtures/sarif';

const sarifFiles = (dir: string): string[] => readdirSync(dir).filter((name) => /\.sarif(\.json)?$/.test(name)).map((name) => join(dir, name));

/** What the web trigger keeps of its normalising must equal what the scan job's full normalising gives. */
async function assertCountsAgree(text: string, label: string): Promise<void> {
  const counted = await normaliseUpload(text, 'counting');
  const full = await normaliseUpload(text);
  assert.deepEqual(counted.counts, full.counts, label);
  assert.deepEqual(counted.skipped, full.skipped, label);
  assert.deepEqual(counted.trimmed, full.trimmed, label);
  assert.deepEqual(counted.tools, full.tools, label);
  assert.deepEqual(counted.analyses, full.analyses, label);
  assert.ok(full.findings.every((f) => /^[0-9a-f]{32}$/.test(f.fingerprint)), `${label}: the job's fingerprints are hashes`);
}

test('counting with fingerprint tuples gives the counts, skips, trims, tools and analyses of hashed fingerprints on every real fixture', async () => {
  const files = [...sarifFiles(fixtures), ...(existsSync(sharedFixtures) ? sarifFiles(sharedFixtures) : [])];
  assert.ok(files.length >= 10);
  for (const file of files) await assertCountsAgree(readFileSync(file, 'utf8'), file);
});

test('an evidence tie in a fold is broken as the hashes would break it, so a third finding folds the same way', async () => {
  // Two scanners report one weakness on overlapping lines with equal evidence: the fold keeps the place of the
  // smaller fingerprint. Only when it keeps lines 1-5 does the third scanner's line 4 fold too. Tuples and hashes
  // order differently, so for some rule ids the counting pass would keep the other place and count one more finding.
  const hit = (ruleId: string, startLine: number, endLine: number, snippet: string) => ({
    ruleId, message: { text: 'eval of input' },
    locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine, endLine, snippet: { text: snippet } } } }],
  });
  const run = (name: string, result: ReturnType<typeof hit>) => ({
    tool: { driver: { name, rules: [{ id: result.ruleId, properties: { tags: ['external/cwe/cwe-95'] } }] } },
    results: [result],
  });
  for (let k = 0; k < 8; k++) {
    const text = JSON.stringify({ version: '2.1.0', runs: [run('First', hit(`a${k}`, 1, 1, 'x()')), run('Second', hit(`b${k}`, 1, 5, 'y()')), run('Third', hit(`c${k}`, 4, 4, 'z()'))] });
    await assertCountsAgree(text, `rule ids a${k}, b${k}, c${k}`);
  }
});

test('normalising a large upload lets timers run between its steps', async () => {
  // 60,000 results: parsing alone outlasts one slice, so even a fast machine must pause at least once.
  const text = syntheticSarif({ results: 60_000 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  // Started after the timer; JSON.parse is one block, the normalising after it is not.
  const out = await normaliseUpload(text, 'counting');
  clearInterval(timer);
  assert.equal(out.counts.findings + out.counts.merged, 20_000, 'the first 20,000 results are read');
  assert.ok(ticks >= 1, `the timer ran ${ticks} times while the upload was normalised`);
});
