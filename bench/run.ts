/**
 * `npm run bench`: the figures of ARCHITECTURE §5 measured in one run. `--json` prints only the
 * JSON object of named figures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { medianMs, round } from './measure';
import { syntheticSarif } from './synthetic-sarif';
import { measureBitbucketCalls } from './bitbucket-calls';
import { measureMultiUploadCalls } from './multi-upload-calls';
import { measureMergeStatements } from './merge-statements';
import { measureCodemodCorpus } from './codemod-corpus';

const root = resolve(import.meta.dirname, '..');
const json = process.argv.includes('--json');
const notes: string[] = [];
const note = (line: string) => notes.push(line);

async function ingest(): Promise<number> {
  const real = readFileSync(join(root, 'test/fixtures/sarif/codeql-js-2.9.2_juice-shop_rajbos.sarif'), 'utf8');
  const realRatio = (await medianMs(() => normaliseLog(parseSarif(real)))) / (await medianMs(() => JSON.parse(real)));
  note(`ingest: real CodeQL juice-shop SARIF (${Math.round(real.length / 1024)} KB, 422 results): ${round(realRatio)}× JSON.parse`);
  // The figure itself is taken on a generated 25,000-result log, where per-result cost dominates.
  const text = syntheticSarif({ results: 25_000 });
  const plain = await medianMs(() => JSON.parse(text), 7, 2);
  const full = await medianMs(() => normaliseLog(parseSarif(text)), 7, 2);
  note(`ingest: generated 25,000 results (${round(text.length / 1024 / 1024, 1)} MB): JSON.parse ${round(plain)} ms, parse+normalise ${round(full)} ms (medians of 7)`);
  return round(full / plain);
}

function ingestPeak(): number {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench/ingest-peak.ts')], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`ingest-peak failed: ${child.stderr}`);
  const figures = JSON.parse(child.stdout) as { peakRssMb: number; results: number; gzipMb: number };
  note(`ingest peak: ${figures.peakRssMb} MB RSS for a ${figures.gzipMb} MB gzip upload of ${figures.results} results (40 MB decompressed)`);
  return figures.peakRssMb;
}

const figures = {
  ingest_vs_json_parse: await ingest(),
  ingest_peak_rss_mb: ingestPeak(),
  codemod_vs_parse: await measureCodemodCorpus(note),
  ...(await measureBitbucketCalls(note)),
  ...(await measureMultiUploadCalls(note)),
  ...(await measureMergeStatements(note)),
};
if (json) console.log(JSON.stringify(figures));
else {
  for (const line of notes) console.log(line);
  console.log(JSON.stringify(figures, null, 2));
}
