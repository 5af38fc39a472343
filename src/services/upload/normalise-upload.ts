/**
 * SARIF text → normalised findings, the same way at upload and in the scan job. At upload it runs
 * on the web trigger's event loop: it gives the loop back between steps so other requests (and
 * `/healthz`) are answered while a large upload is read.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { createDefaultRegistry } from '../../domain/codemods/registry';
import { parseSarif, type NormalisedLog, type NormaliseOptions } from '../../domain/sarif';
import { normaliseInSteps } from '../../domain/sarif/normalise';
import type { NormalisedFinding } from '../../domain/finding';
import { UploadsRepository } from '../../storage/uploads-repository';
import type { Deps } from '../deps';
import { decodeUploadBody } from './decode-body';

/** The longest stretch of normalising between two turns of the event loop. */
export const SLICE_MS = 40;

function normaliseOptions(fingerprints: NormaliseOptions['fingerprints'], category: string | undefined): NormaliseOptions {
  // Rules answered by the same codemod describe the same problem: fold them across scanners.
  const registry = createDefaultRegistry();
  return { ruleClass: (finding) => registry.find(finding)[0]?.id, fingerprints, ...(category !== undefined ? { category } : {}) };
}

/**
 * Parses and normalises an upload's SARIF text, yielding to the event loop whenever a stretch of
 * work passed SLICE_MS. Throws what `parseSarif` and `normaliseLog` throw. `counting`: the caller
 * keeps only counts, skipped and trimmed (the web trigger), so fingerprints stay unhashed tuples
 * (same merges, same counts; see `NormaliseOptions.fingerprints`).
 */
export async function normaliseUpload(sarifText: string, purpose: 'counting' | 'findings' = 'findings', category?: string): Promise<NormalisedLog> {
  let since = performance.now();
  const log = parseSarif(sarifText);
  const steps = normaliseInSteps(log, normaliseOptions(purpose === 'counting' ? 'tuple' : 'sha256', category));
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - since > SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
}

/**
 * The findings of a scan whose upload body was kept (uploads-repository.ts), normalised again from
 * it; undefined for a scan stored before bodies were kept.
 */
export async function loadUploadFindings(deps: Deps, scanId: string, category?: string): Promise<NormalisedFinding[] | undefined> {
  const upload = await new UploadsRepository(deps.db).load(scanId);
  if (!upload) return undefined;
  const gzip = upload.encoding === 'gzip';
  const decoded = decodeUploadBody(upload.body.toString(gzip ? 'latin1' : 'utf8'), gzip ? 'gzip' : undefined);
  return (await normaliseUpload(decoded.sarifText, 'findings', category)).findings;
}
