/**
 * The `upload_answer_vs_json_parse` figure: the time the local host's web trigger takes to answer
 * a gzip upload of a generated 25,000-result SARIF over real HTTP on loopback (decode, parse,
 * validate, normalise, repository check against the embedded emulator, store, queue), divided by a
 * bare `JSON.parse` of the same SARIF text. Pairs are timed back to back and the figure is the
 * median of per-pair ratios. The queue is stopped, so the scan job does not run between pairs.
 */
import { gzipSync } from 'node:zlib';
import { setUpWorkspace, startHarness } from '../test/support/harness';
import { pairedRatio, round } from './measure';
import { syntheticSarif } from './synthetic-sarif';

export async function measureUploadAnswer(note: (line: string) => void, runs = 15): Promise<number> {
  const h = await startHarness();
  try {
    const ws = await setUpWorkspace(h, 'bench-upload', { 'src/app.js': 'module.exports = 1;\n' });
    await h.host.app.queue.stop();
    const text = syntheticSarif({ results: 25_000 });
    const body = gzipSync(text);
    const headers = { Authorization: `Bearer ${ws.uploadToken}`, 'Content-Encoding': 'gzip' };
    const db = h.host.app.deps.db;
    const query = { repository: 'bench-upload/app', commit: ws.commit };
    const upload = async (): Promise<void> => {
      const answer = await h.upload(query, body, headers);
      if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`);
    };
    // Queued scans count against the per-repository limit (429): forget them after each pair, untimed.
    const forget = async (): Promise<void> => {
      await db.execute('DELETE FROM scan_uploads');
      await db.execute('DELETE FROM scans');
    };
    const pair = await pairedRatio(() => JSON.parse(text), upload, { runs, warmup: 2, afterPair: forget });
    note(
      `upload answer: 25,000 results (${round(text.length / 1024 / 1024, 1)} MB, ${round(body.length / 1024, 0)} KB gzip) over HTTP: ` +
        `${round(pair.measuredMs)} ms; JSON.parse ${round(pair.baseMs)} ms (medians of ${runs} back-to-back pairs)`,
    );
    return round(pair.ratio);
  } finally {
    await h.close();
  }
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('upload-answer.ts')) {
  const figure = await measureUploadAnswer(console.log);
  console.log(`upload_answer_vs_json_parse ${figure}`);
}
