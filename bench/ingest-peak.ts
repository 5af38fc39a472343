/**
 * Run in a fresh process by `run.ts`: builds the largest upload the web trigger accepts (SARIF
 * decompressing to just under the 40 MB cap), then decodes, parses and normalises it while
 * sampling resident memory. Prints `{"peakRssMb": n, "results": n}`.
 */
import { gzipSync } from 'node:zlib';
import { decodeUploadBody, MAX_DECOMPRESSED_BYTES } from '../src/services/upload/decode-body';
import { normaliseLog, parseSarif } from '../src/domain/sarif';

function syntheticSarif(targetBytes: number): string {
  const rules = Array.from({ length: 50 }, (_, i) => ({ id: `rule-${i}`, properties: { tags: [`CWE-${79 + i}`], precision: 'high' } }));
  const result = (i: number) =>
    JSON.stringify({
      ruleId: `rule-${i % 50}`,
      level: 'warning',
      message: { text: `Problem number ${i} with a message of ordinary length that scanners tend to write for a finding.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/module-${i % 997}/file-${i % 31}.js` }, region: { startLine: (i % 400) + 1, snippet: { text: `const value${i} = compute(input${i});` } } } }],
    });
  const head = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Synthetic', rules } }, results: [] }] }).slice(0, -4);
  const parts: string[] = [];
  let size = head.length + 4;
  for (let i = 0; ; i += 1) {
    const next = result(i);
    if (size + next.length + 1 > targetBytes) break;
    parts.push(next);
    size += next.length + 1;
  }
  return `${head}${parts.join(',')}]}]}`;
}

const body = gzipSync(syntheticSarif(MAX_DECOMPRESSED_BYTES - 1024)).toString('latin1');
// Start from what a web trigger would hold: the request body only.
(globalThis as { gc?: () => void }).gc?.();
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const decoded = decodeUploadBody(body, 'gzip');
const normalised = normaliseLog(parseSarif(decoded.sarifText));
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(timer);
process.stdout.write(JSON.stringify({ peakRssMb: Math.round(peak / 1024 / 1024), results: normalised.counts.results, gzipMb: Math.round(body.length / 1024 / 1024 * 10) / 10 }));
