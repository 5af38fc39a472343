/**
 * The web trigger's normalising (src/services/upload/normalise-upload.ts): it gives the event loop
 * back while it works, and its unhashed fingerprints count exactly what the scan job's hashed ones do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseUpload } from '../src/services/upload/normalise-upload';
import { syntheticSarif } from '../bench/synthetic-sarif';

const fixtures = join(import.meta.dirname, 'fixtures/sarif');

test('counting with fingerprint tuples gives the counts, skips and trims of hashed fingerprints on every real fixture', async () => {
  const names = readdirSync(fixtures).filter((name) => name.endsWith('.sarif'));
  assert.ok(names.length >= 10);
  for (const name of names) {
    const text = readFileSync(join(fixtures, name), 'utf8');
    const counted = await normaliseUpload(text, 'counting');
    const full = await normaliseUpload(text);
    assert.deepEqual(counted.counts, full.counts, name);
    assert.deepEqual(counted.skipped, full.skipped, name);
    assert.deepEqual(counted.trimmed, full.trimmed, name);
    assert.ok(full.findings.every((f) => /^[0-9a-f]{32}$/.test(f.fingerprint)), `${name}: the job's fingerprints are hashes`);
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
