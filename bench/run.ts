/**
 * `npm run bench`: the figures of ARCHITECTURE §5 measured in one run. `--json` prints only the
 * JSON object of named figures; `--only=ingest,upload` measures only those groups.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { pairedRatio, round } from './measure';
import { measureUploadAnswer } from './upload-answer';
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
  const realPair = await pairedRatio(() => JSON.parse(real), () => normaliseLog(parseSarif(real)), { clock: 'cpu', freshYoungGeneration: true });
  note(`ingest: real CodeQL juice-shop SARIF (${Math.round(real.length / 1024)} KB, 422 results): ${round(realPair.ratio)}× JSON.parse (CPU time)`);
  // The figure itself is taken on a generated 25,000-result log, where per-result cost dominates.
  // Each pair times JSON.parse and the full ingest back to back in CPU time; the figure is the median of the pairs' ratios.
  const text = syntheticSarif({ results: 25_000 });
  // Each side starts with an empty young generation, so each is timed with its own garbage only.
  const pair = await pairedRatio(() => JSON.parse(text), () => normaliseLog(parseSarif(text)), { runs: 21, warmup: 4, clock: 'cpu', freshYoungGeneration: true });
  const wall = await pairedRatio(() => JSON.parse(text), () => normaliseLog(parseSarif(text)), { runs: 11, warmup: 2, freshYoungGeneration: true });
  note(
    `ingest: generated 25,000 results (${round(text.length / 1024 / 1024, 1)} MB): CPU time JSON.parse ${round(pair.baseMs)} ms, ` +
      `parse+normalise ${round(pair.measuredMs)} ms (medians of 21 back-to-back pairs); in wall time ${round(wall.ratio)}×`,
  );
  return round(pair.ratio);
}

function ingestPeak(): number {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench/ingest-peak.ts')], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`ingest-peak failed: ${child.stderr}`);
  const figures = JSON.parse(child.stdout) as { peakRssMb: number; results: number; gzipMb: number };
  note(`ingest peak: ${figures.peakRssMb} MB RSS for a ${figures.gzipMb} MB gzip upload of ${figures.results} results (40 MB decompressed)`);
  return figures.peakRssMb;
}

/** `--only=ingest,upload` measures only the groups named (ingest, upload, peak, codemod, calls, sql). */
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const wanted = (group: string): boolean => only === undefined || only.has(group);

const figures = {
  ...(wanted('ingest') ? { ingest_vs_json_parse: await ingest() } : {}),
  ...(wanted('upload') ? { upload_answer_vs_json_parse: await measureUploadAnswer(note) } : {}),
  ...(wanted('peak') ? { ingest_peak_rss_mb: ingestPeak() } : {}),
  ...(wanted('codemod') ? { codemod_vs_parse: await measureCodemodCorpus(note) } : {}),
  ...(wanted('calls') ? await measureBitbucketCalls(note) : {}),
  ...(wanted('calls') ? await measureMultiUploadCalls(note) : {}),
  ...(wanted('sql') ? await measureMergeStatements(note) : {}),
};
if (json) console.log(JSON.stringify(figures));
else {
  for (const line of notes) console.log(line);
  console.log(JSON.stringify(figures, null, 2));
}
