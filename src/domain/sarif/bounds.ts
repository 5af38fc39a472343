/**
 * Bounds on every SARIF string the app stores or shows (see README.md, "Bounds"). Identity fields of
 * a run are refused with `invalid_sarif` naming the JSON path (cutting would change which tool or
 * base it is); per-result fields are cut, dropped or skipped and counted, so one odd result does not
 * cost the whole upload. Every check is a length comparison on a string the normaliser reads anyway.
 */
import { AppError } from '../errors';
import { formatJsonPath, type JsonPath, type RunData } from './schema';

/** An upload with more runs is refused (413) before any per-run work. GitHub's upload API caps runs too. */
export const MAX_RUNS = 100;
/** Distinct tools (name and version) an upload's scan lists; the findings keep their own tool regardless. */
export const MAX_TOOLS = 16;
/** Tool names and versions (refused beyond), rule ids (the result is skipped beyond). */
export const MAX_ID_CHARS = 256;
/** Artifact and base URIs: a longer location URI leaves the finding without a location; a longer base URI is refused. */
export const MAX_URI_CHARS = 2048;
/** `partialFingerprints.primaryLocationLineHash`: a longer value is ignored (the snippet fingerprint applies). */
export const MAX_FINGERPRINT_CHARS = 256;
/** CWE ids kept per finding (ascending). */
export const MAX_CWES = 20;
export const MAX_SUPPRESSION_KIND_CHARS = 64;
export const MAX_JUSTIFICATION_CHARS = 1000;
/** `precision` is one word (very-high, high, medium, low): a longer value is dropped. */
export const MAX_PRECISION_CHARS = 32;

/** Fields the normaliser shortened, one entry per field. */
export interface TrimmedField {
  /** What was shortened, e.g. `message` or `snippet`. */
  field: string;
  /** The bound it was cut to (characters, or items for `cwes`). */
  max: number;
  /** How many values were shortened or dropped. */
  count: number;
  /** The global index of the first result concerned. */
  index: number;
}

export class TrimTally {
  private readonly byField = new Map<string, TrimmedField>();
  total = 0;

  add(field: string, max: number, index: number): void {
    this.total++;
    const entry = this.byField.get(field);
    if (entry) entry.count++;
    else this.byField.set(field, { field, max, count: 1, index });
  }

  entries(): TrimmedField[] {
    return [...this.byField.values()].map((entry) => ({ ...entry }));
  }
}

const tooLong = (path: JsonPath, length: number, max: number): AppError =>
  new AppError('invalid_sarif', `${formatJsonPath(path)}: ${length.toLocaleString('en')} characters, at most ${max.toLocaleString('en')}.`, {
    path: formatJsonPath(path),
  });

function check(value: unknown, max: number, path: JsonPath): void {
  if (typeof value === 'string' && value.length > max) throw tooLong(path, value.length, max);
}

/** Refuses a log with more than MAX_RUNS runs, before anything looks inside them. */
export function checkRunCount(json: unknown): void {
  const runs = json !== null && typeof json === 'object' ? (json as { runs?: unknown }).runs : undefined;
  if (Array.isArray(runs) && runs.length > MAX_RUNS) {
    throw new AppError(
      'payload_too_large',
      `runs: ${runs.length.toLocaleString('en')} runs in one upload, at most ${MAX_RUNS}; upload the runs in several files or merge runs of one tool.`,
    );
  }
}

/** The identity fields of a run: tool name and version, base and working-directory URIs. Throws `invalid_sarif` naming the path. */
export function checkRunBounds(run: RunData, runPath: JsonPath): void {
  const driver = run.tool.driver;
  const driverPath = [...runPath, 'tool', 'driver'];
  check(driver.name, MAX_ID_CHARS, [...driverPath, 'name']);
  check(driver.version, MAX_ID_CHARS, [...driverPath, 'version']);
  check(driver.semanticVersion, MAX_ID_CHARS, [...driverPath, 'semanticVersion']);
  const bases = run.originalUriBaseIds;
  // A key is echoed in the error only in part: the message must stay small whatever the key.
  if (bases) for (const name in bases) check(bases[name]?.uri, MAX_URI_CHARS, [...runPath, 'originalUriBaseIds', name.length > 64 ? `${name.slice(0, 64)}…` : name, 'uri']);
  run.invocations?.forEach((invocation, k) => check(invocation.workingDirectory?.uri, MAX_URI_CHARS, [...runPath, 'invocations', k, 'workingDirectory', 'uri']));
}
