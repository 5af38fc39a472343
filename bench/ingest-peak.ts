/**
 * Run in a fresh process by `run.ts`: builds the largest upload the web trigger accepts (SARIF
 * decompressing to just under the 40 MB cap), then decodes, parses and normalises it while
 * sampling resident memory. Prints `{"peakRssMb": n, "results": n}`.
 */
import { gzipSync } from 'node:zlib';
import { decodeUploadBody, MAX_DECOMPRESSED_BYTES } from '../src/services/upload/decode-body';
import { normaliseLog, parseSarif } from '../src/domain/sarif';
import { syntheticSarif } from './synthetic-sarif';


const body = gzipSync(syntheticSarif({ maxBytes: MAX_DECOMPRESSED_BYTES - 1024 })).toString('latin1');
// Start from what a web trigger would hold: the request body only.
(globalThis as { gc?: () => void }).gc?.();
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const decoded = decodeUploadBody(body, 'gzip');
const normalised = normaliseLog(parseSarif(decoded.sarifText));
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(timer);
process.stdout.write(JSON.stringify({ peakRssMb: Math.round(peak / 1024 / 1024), results: normalised.counts.results, gzipMb: Math.round(body.length / 1024 / 1024 * 10) / 10 }));
