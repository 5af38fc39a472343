/**
 * Finding fingerprints: sha256 hex, first 32 characters, of a tagged, NUL-separated tuple.
 * In order of preference:
 *   `lh`: ruleId, path, `partialFingerprints.primaryLocationLineHash` (when meaningful);
 *   `sn`: ruleId, path, the snippet with whitespace collapsed, and its occurrence: the rank of the
 *         result's line among the distinct lines of the upload where the same rule flags the same
 *         snippet in the same file (as CodeQL's `:n`). Stable across line shifts; two identical
 *         lines flagged separately stay two findings;
 *   `ln`: ruleId, path, startLine, message;
 *   `nl`: ruleId, message, logical location / artifact URI (findings without a path).
 * The tool is not part of the key, so two tools reporting the same rule id at the same place merge.
 */
import { hash as digest } from 'node:crypto';
import { FileGroups } from './file-groups';

/** What Semgrep writes for snippets and fingerprints when not logged in. */
const REDACTED: ReadonlySet<string> = new Set(['', 'requires login', 'requires-login', 'login required']);
/** Further values no real fingerprint takes. */
const NOT_A_HASH: ReadonlySet<string> = new Set(['none', 'null', 'undefined', 'nil', 'n/a', 'na', 'unknown', 'todo', 'placeholder']);

/** True for redaction markers written instead of a snippet or fingerprint (Semgrep: `requires login`). */
export function isRedacted(value: string): boolean {
  // Longer than any marker and not padded with whitespace: cannot be one (skips the copies below).
  if (value.length > 16 && isPlainAscii(value.charCodeAt(0)) && isPlainAscii(value.charCodeAt(value.length - 1))) return false;
  return REDACTED.has(value.trim().toLowerCase());
}

const isPlainAscii = (code: number): boolean => code > 0x20 && code < 0x7f;

/** A fingerprint that cannot be one: redacted, a stand-in word, one repeated character (`0000`), or zeros with a counter (`0:1`). */
export function isDegenerateHash(value: string): boolean {
  const v = value.trim().toLowerCase();
  return REDACTED.has(v) || NOT_A_HASH.has(v) || /^(.)\1*$/.test(v) || /^0+(?::\d+)?$/.test(v);
}

/** `text` with every whitespace run as one space, trimmed. Text already in that form is returned as it is (no copy). */
export function collapseWhitespace(text: string): string {
  return isCollapsed(text) ? text : text.replace(/\s+/g, ' ').trim();
}

/** True when `text` has no whitespace but single inner spaces (the common snippet): collapsing would not change it. */
function isCollapsed(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  let previousSpace = true; // so a leading space counts as a run to collapse
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if (c < 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x3000) || c === 0xfeff) {
      return false; // other whitespace (or a character near it): the regex decides
    } else previousSpace = false;
  }
  return !previousSpace;
}

/**
 * sha256 hex (first 32 characters) of `parts` joined by NUL: the same value as
 * `createHash('sha256').update(parts.join('\0'))`. ASCII parts (nearly every finding) are copied
 * into a reused byte buffer and hashed from a view of it: joining them into a string builds a
 * rope of short strings that the hash must flatten and re-encode as UTF-8, which cost about as
 * much as the digest itself. Other text takes the string path (the same bytes, as UTF-8).
 */
function hash(p0: 'nl' | 'lh' | 'sn' | 'ln', p1: string, p2: string, p3: string, p4?: string): string {
  const length = p0.length + p1.length + p2.length + p3.length + (p4 === undefined ? 3 : p4.length + 4);
  if (length <= TUPLE_BYTES) {
    let n = putAscii(p0, 0);
    if (n >= 0) n = putAscii(p1, n + 1);
    if (n >= 0) n = putAscii(p2, n + 1);
    if (n >= 0) n = putAscii(p3, n + 1);
    if (n >= 0 && p4 !== undefined) n = putAscii(p4, n + 1);
    if (n >= 0) return digest('sha256', tupleView(n), 'hex').slice(0, 32);
  }
  return hashTuple(tuple(p0, p1, p2, p3, p4));
}

/** Tuples up to this many bytes are hashed from the buffer (longer ones are rare: long messages). */
const TUPLE_BYTES = 2048;
/** One byte spare: the NUL `putAscii` writes after the last part. */
const tupleBytes = new Uint8Array(TUPLE_BYTES + 1);
/** `tupleBytes` from 0 to n, by length: made once each (a view per finding would cost more than the copy saves). */
const tupleViews: (Uint8Array | undefined)[] = [];
const tupleView = (n: number): Uint8Array => tupleViews[n] ?? (tupleViews[n] = tupleBytes.subarray(0, n));

/** Writes `text` at `at` when it is all ASCII (its UTF-8 is its char codes); returns the end, or -1 (nothing to rely on written). */
function putAscii(text: string, at: number): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return -1;
    tupleBytes[at + i] = c;
  }
  // The NUL before the next part (outside the view when this part is the last).
  tupleBytes[at + n] = 0;
  return at + n;
}

export interface FingerprintInput {
  ruleId: string;
  message: string;
  path?: string | undefined;
  startLine?: number | undefined;
  lineHash?: string | undefined;
  snippet?: string | undefined;
  /** Logical location or raw artifact URI, for findings without a path. */
  anchor?: string | undefined;
  /** 1-based occurrence of the snippet (see above); 1 when absent. */
  occurrence?: number | undefined;
}

/** The collapsed snippet a snippet-based (`sn`) fingerprint is made of, or undefined when another kind applies. */
export function snippetKey(path: string | undefined, lineHash: string | undefined, snippet: string | undefined): string | undefined {
  if (path === undefined || lineHash || !snippet) return undefined;
  return collapseWhitespace(snippet) || undefined;
}

export function fingerprint(input: FingerprintInput): string {
  const snippet = snippetKey(input.path, input.lineHash, input.snippet);
  return fingerprintOf(input.ruleId, input.message, input.path, input.startLine, input.lineHash, snippet, input.anchor, input.occurrence);
}

/**
 * `fingerprint` from its inputs one by one, for the normaliser's loop over every result (no input
 * object per finding). `snippet` is the collapsed snippet (`snippetKey`).
 */
export function fingerprintOf(
  ruleId: string,
  message: string,
  path: string | undefined,
  startLine: number | undefined,
  lineHash: string | undefined,
  snippet: string | undefined,
  anchor: string | undefined,
  occurrence: number | undefined,
  tupleOnly = false,
): string {
  const make = tupleOnly ? tuple : hash;
  if (path === undefined) return make('nl', ruleId, message, anchor ?? '');
  if (lineHash) return make('lh', ruleId, path, lineHash);
  if (snippet) return make('sn', ruleId, path, snippet, String(occurrence ?? 1));
  return make('ln', ruleId, path, String(startLine ?? 1), message);
}

/** The fingerprint of a tuple made with `tupleOnly` (what `hash` gives for its parts). */
export const hashTuple = (tuple: string): string => digest('sha256', tuple, 'hex').slice(0, 32);

/**
 * The tuple `hash` digests, joined by NUL: two findings have equal tuples exactly when they have
 * equal fingerprints, so a caller that only counts merges (the web trigger) can skip the sha256.
 */
const tuple = (p0: string, p1: string, p2: string, p3: string, p4?: string): string =>
  p4 === undefined ? `${p0}\0${p1}\0${p2}\0${p3}` : `${p0}\0${p1}\0${p2}\0${p3}\0${p4}`;

/**
 * Occurrences of snippet-based fingerprints in one upload: a group is the results of one rule in one
 * file with the same snippet, and a result's occurrence is the 1-based rank of its line among the
 * group's distinct lines. Every finding with a path is added, by path alone, as the caller's item
 * numbers (no object per result, no combined key strings): most files of a large upload hold one
 * finding, which then needs no ranking, and the caller learns that nothing else of the upload is in
 * its file (`onlyInFile`). Rules and snippets are sorted out only in files holding several.
 */
export class SnippetOccurrences {
  private readonly files: FileGroups;
  /** The items of one file → item → occurrence, for the snippet items among them (0: another snippet item of its rule shares the file). */
  private readonly ranks = new Map<number[], Map<number, { occurrence: number; alone: boolean }>>();

  /**
   * Items are numbered 0…count-1; `snippet(item)`, `line(item)` and `rule(item)` give the collapsed
   * snippet (undefined when another fingerprint kind applies), start line and rule id of one added.
   */
  constructor(
    count: number,
    private readonly snippet: (item: number) => string | undefined,
    private readonly line: (item: number) => number,
    private readonly rule: (item: number) => string,
  ) {
    this.files = new FileGroups(count);
  }

  /** Adds an item by the path its fingerprint is made of. */
  add(path: string, item: number): void {
    this.files.add(path, item);
  }

  /** True when no other item added has `item`'s path: nothing else of the upload is in its file. */
  onlyInFile(item: number): boolean {
    return this.files.group(item) === undefined;
  }

  /** True when `item` is the only snippet item added for its rule and file: no other snippet fingerprint of the upload can equal its own. */
  isAlone(item: number): boolean {
    const items = this.files.group(item);
    return items === undefined || this.ranked(items).get(item)?.alone === true;
  }

  occurrence(item: number): number {
    const items = this.files.group(item);
    return items === undefined ? 1 : (this.ranked(items).get(item)?.occurrence ?? 1);
  }

  private ranked(items: number[]): Map<number, { occurrence: number; alone: boolean }> {
    let rank = this.ranks.get(items);
    if (!rank) this.ranks.set(items, (rank = this.rank(items)));
    return rank;
  }

  /** Item → occurrence for the snippet items of one file: lines ranked within each rule and snippet. */
  private rank(items: readonly number[]): Map<number, { occurrence: number; alone: boolean }> {
    const byRule = new Map<string, number[]>();
    for (const item of items) {
      if (this.snippet(item) === undefined) continue;
      const rule = this.rule(item);
      const list = byRule.get(rule);
      if (list) list.push(item);
      else byRule.set(rule, [item]);
    }
    const out = new Map<number, { occurrence: number; alone: boolean }>();
    for (const ofRule of byRule.values()) {
      const bySnippet = new Map<string, number[]>();
      for (const item of ofRule) {
        const key = this.snippet(item)!;
        const list = bySnippet.get(key);
        if (list) list.push(item);
        else bySnippet.set(key, [item]);
      }
      for (const group of bySnippet.values()) {
        const lines = [...new Set(group.map(this.line))].sort((a, b) => a - b);
        for (const item of group) out.set(item, { occurrence: lines.indexOf(this.line(item)) + 1, alone: ofRule.length === 1 });
      }
    }
    return out;
  }
}

/**
 * Line hashes that do not tell lines apart within one run. CodeQL's `primaryLocationLineHash`
 * (`<hash>:<n>`) is unique per line of a file, so one value on two different lines of the same
 * file is a constant, not a fingerprint. Feed every (file, value, line) of a run, then ask.
 */
export class LineHashAudit {
  private readonly firstLine = new Map<string, number>();
  private readonly degenerate = new Set<string>();

  record(fileKey: string, value: string, startLine: number): void {
    const key = `${fileKey}\0${value}`;
    const seen = this.firstLine.get(key);
    if (seen === undefined) this.firstLine.set(key, startLine);
    else if (seen !== startLine) this.degenerate.add(value);
  }

  /** The value to use as a line hash, or undefined when it is missing, a placeholder or degenerate. */
  usable(value: unknown): string | undefined {
    if (typeof value !== 'string' || isDegenerateHash(value) || this.degenerate.has(value)) return undefined;
    return value.trim();
  }
}
