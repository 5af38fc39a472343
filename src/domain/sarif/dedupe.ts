/**
 * Folding results into findings, the same way within one upload and across the uploads of a commit:
 *   - same fingerprint → one finding;
 *   - same place and same weakness → one finding, across scanners and across rules of one scanner
 *     (ESLint's `no-eval` and `security/detect-eval-with-expression` on one `eval`). "Same place" is
 *     the same file and overlapping lines; "same weakness" is a shared weakness of the equivalence
 *     table (`weakness-table.ts`), the same rule class (`NormaliseOptions.ruleClass`), or — for
 *     results of different tools — a shared CWE. The same rule of the same tool twice at one place
 *     stays two findings (two calls on one line).
 *
 * A fold is symmetric, so the result does not depend on the order results arrive in (one upload
 * holding seven runs and seven uploads of one run each give the same findings): it lists every
 * tool, rule and analysis, unions the CWEs and weaknesses, keeps the highest severity, and takes
 * the place, message, snippet and steps of the result with the strongest evidence (a code flow,
 * then a higher precision, then a snippet; the smaller fingerprint breaks ties). The other
 * fingerprints become `aliases`, so a later upload of any of them lands on the same finding.
 */
import { reportsOf, type NormalisedFinding, type RuleReport } from '../finding';
import { maxSeverity } from './severity';
import type { RuleClassifier } from './normalise';

const toolKey = (tool: { name: string; version?: string }): string => `${tool.name}\0${tool.version ?? ''}`;
const reportKey = (report: RuleReport): string => `${report.tool}\0${report.ruleId}\0${report.analysis}`;
const sameRule = (a: RuleReport, b: RuleReport): boolean => a.tool === b.tool && a.ruleId === b.ruleId;

/** Lines of a location that can meet another's; long ranges are indexed by their first lines only. */
const MAX_INDEXED_LINES = 20;

type Lines = Map<number, NormalisedFinding | NormalisedFinding[]>;

export class FindingSet {
  readonly findings: NormalisedFinding[] = [];
  private readonly byFingerprint = new Map<string, NormalisedFinding>();
  /**
   * path → line → the finding (or findings) whose lines include it: most lines hold one, so no list
   * is made for them. A path with one finding holds the finding itself, indexed at the lines of its
   * location, without a map of lines (most files of a large upload hold one); `pin` turns that into
   * a map before a fold can move the finding.
   */
  private readonly byPlace = new Map<string, NormalisedFinding | Lines>();
  /** rule id and file extension → the rule class, so the classifier runs once per rule and language. */
  private readonly ruleClasses = new Map<string, string | undefined>();
  /** Each finding's classes, computed when a finding shares a line with another (dropped when it grows by a fold). */
  private readonly classCache = new WeakMap<NormalisedFinding, string[]>();

  /**
   * `tieKey`: what breaks an evidence tie between two fingerprints (see `strongerEvidence`); the
   * normaliser counting with unhashed tuples passes their sha256, so it folds as the hashes would.
   */
  constructor(private readonly ruleClass?: RuleClassifier, private readonly tieKey?: (fingerprint: string) => string) {}

  /**
   * Adds a finding; returns `merged` when it was folded into an existing one. `unique`: the caller
   * knows no other finding added to this set has (or had) this fingerprint and the finding has no
   * aliases, so it is neither looked up nor kept by fingerprint (the normaliser knows that of a
   * snippet fingerprint whose rule flags its file once: on a large upload, most of them).
   * `aloneInFile` (with `unique`): the caller knows no other finding added to this set has (or will
   * have) a location in this finding's file, so there is nothing to fold it with by place either: it
   * is only listed, not indexed (most files of a large upload hold one finding).
   */
  add(finding: NormalisedFinding, unique = false, aloneInFile = false): 'added' | 'merged' {
    if (unique && aloneInFile) {
      this.findings.push(finding);
      return 'added';
    }
    const target = (unique ? undefined : this.byFingerprint.get(finding.fingerprint)) ?? this.placeMatch(finding);
    if (target) {
      this.pin(target);
      foldInto(target, finding, this.tieKey);
      this.classCache.delete(target);
      if (!unique) this.remember(finding, target);
      this.index(target);
      return 'merged';
    }
    this.findings.push(finding);
    if (!unique) this.remember(finding, finding);
    this.index(finding);
    return 'added';
  }

  private remember(finding: NormalisedFinding, target: NormalisedFinding): void {
    this.byFingerprint.set(finding.fingerprint, target);
    if (finding.aliases) for (const alias of finding.aliases) this.byFingerprint.set(alias, target);
  }

  /** What a finding can be matched on at its place (see `weaknessClasses`), the rule class cached per rule and file type. */
  classesOf(finding: NormalisedFinding): string[] {
    const cached = this.classCache.get(finding);
    if (cached) return cached;
    const classifier = this.ruleClass;
    const classes = !classifier ? weaknessClasses(finding) : weaknessClasses(finding, (key) => {
      const cacheKey = `${key.ruleId}\0${key.path.slice(key.path.lastIndexOf('.'))}`;
      if (!this.ruleClasses.has(cacheKey)) this.ruleClasses.set(cacheKey, classifier(key));
      return this.ruleClasses.get(cacheKey);
    });
    this.classCache.set(finding, classes);
    return classes;
  }

  private index(finding: NormalisedFinding): void {
    const location = finding.location;
    if (!location) return;
    const entry = this.byPlace.get(location.path);
    if (entry === undefined) {
      this.byPlace.set(location.path, finding);
      return;
    }
    if (entry === finding) return;
    const lines = entry instanceof Map ? entry : this.pin(entry)!;
    indexLines(lines, finding, location.startLine, lastIndexedLine(location));
  }

  /**
   * Turns the entry of a path that holds `finding` alone into a map of lines, so the lines it is
   * indexed at stay indexed when a fold moves it (a fold keeps the place of the stronger evidence).
   * Returns the path's map of lines.
   */
  private pin(finding: NormalisedFinding): Lines | undefined {
    const location = finding.location;
    if (!location) return undefined;
    const entry = this.byPlace.get(location.path);
    if (entry !== finding) return entry instanceof Map ? entry : undefined;
    const lines: Lines = new Map();
    indexLines(lines, finding, location.startLine, lastIndexedLine(location));
    this.byPlace.set(location.path, lines);
    return lines;
  }

  private placeMatch(finding: NormalisedFinding): NormalisedFinding | undefined {
    const location = finding.location;
    if (!location) return undefined;
    const lines = this.byPlace.get(location.path);
    if (!lines) return undefined;
    const last = lastIndexedLine(location);
    if (!(lines instanceof Map)) {
      const there = lines.location!;
      const overlaps = there.startLine <= last && location.startLine <= lastIndexedLine(there);
      return overlaps && this.sameWeakness(finding, lines) ? lines : undefined;
    }
    for (let line = location.startLine; line <= last; line++) {
      const there = lines.get(line);
      if (there === undefined) continue;
      if (!Array.isArray(there)) {
        if (this.sameWeakness(finding, there)) return there;
        continue;
      }
      for (const other of there) if (this.sameWeakness(finding, other)) return other;
    }
    return undefined;
  }

  /** One weakness: a shared class, a specific one (table weakness, rule class) for two rules of one tool; never the same rule twice. */
  private sameWeakness(finding: NormalisedFinding, other: NormalisedFinding): boolean {
    if (shareARule(finding.reports ?? [], other.reports ?? [])) return false;
    const mine = this.classesOf(finding);
    if (mine.length === 0) return false;
    const theirs = this.classesOf(other);
    const sameTool = shareATool(finding, other);
    return mine.some((cls) => theirs.includes(cls) && (!sameTool || isSpecific(cls)));
  }
}

/** Indexes `finding` at lines `first`…`last` of one path. */
function indexLines(lines: Lines, finding: NormalisedFinding, first: number, last: number): void {
  for (let line = first; line <= last; line++) {
    const there = lines.get(line);
    if (there === undefined) lines.set(line, finding);
    else if (Array.isArray(there)) {
      if (!there.includes(finding)) there.push(finding);
    } else if (there !== finding) lines.set(line, [there, finding]);
  }
}

/** The last line of a location that is indexed: long ranges are indexed by their first lines only. */
const lastIndexedLine = (location: { startLine: number; endLine?: number }): number =>
  Math.min(location.endLine ?? location.startLine, location.startLine + MAX_INDEXED_LINES - 1);

/** What a finding can be matched on at its place: its CWEs, the table's weaknesses, and its rule class. */
export function weaknessClasses(finding: NormalisedFinding, ruleClass?: RuleClassifier): string[] {
  const classes: string[] = [...finding.cwes, ...(finding.weaknesses ?? []).map((w) => `weakness:${w}`)];
  const known = ruleClass && finding.location ? ruleClass({ ruleId: finding.ruleId, cwes: finding.cwes, path: finding.location.path }) : undefined;
  if (known) classes.push(`class:${known}`);
  return classes;
}

const shareARule = (a: readonly RuleReport[], b: readonly RuleReport[]): boolean => a.some((mine) => b.some((theirs) => sameRule(mine, theirs)));
const shareATool = (a: NormalisedFinding, b: NormalisedFinding): boolean => a.tools.some((mine) => b.tools.some((theirs) => theirs.name === mine.name));
/**
 * A weakness of the table or a rule class names one problem; a CWE can be broad (CWE-732 covers
 * unrelated misconfigurations), so two rules of one tool fold on a shared CWE only across tools.
 */
const isSpecific = (cls: string): boolean => cls.startsWith('weakness:') || cls.startsWith('class:');

/**
 * Whether `a` and `b` are one weakness at one place: same file, overlapping lines, a shared CWE,
 * weakness or rule class, and no rule that reported both (the same rule twice is two findings).
 */
export function samePlaceAndWeakness(a: NormalisedFinding, b: NormalisedFinding, ruleClass?: RuleClassifier): boolean {
  if (!a.location || !b.location || a.location.path !== b.location.path) return false;
  const [aEnd, bEnd] = [a.location.endLine ?? a.location.startLine, b.location.endLine ?? b.location.startLine];
  if (a.location.startLine > bEnd || b.location.startLine > aEnd) return false;
  if (shareARule(reportsOf(a), reportsOf(b))) return false;
  const theirs = new Set(weaknessClasses(b, ruleClass));
  const sameTool = shareATool(a, b);
  return weaknessClasses(a, ruleClass).some((cls) => theirs.has(cls) && (isSpecific(cls) || !sameTool));
}


const PRECISION_RANK: Readonly<Record<string, number>> = { 'very-high': 4, high: 3, medium: 2, low: 1 };

/**
 * Positive when `a` carries stronger evidence than `b`; never zero for two different fingerprints.
 * A tie goes to the smaller fingerprint, or the smaller `tieKey` of it when given.
 */
export function strongerEvidence(a: NormalisedFinding, b: NormalisedFinding, tieKey?: (fingerprint: string) => string): number {
  const score = (f: NormalisedFinding): number[] => [f.codeFlow?.length ? 1 : 0, PRECISION_RANK[f.precision ?? ''] ?? 0, f.snippet ? 1 : 0, f.location ? 1 : 0];
  const [x, y] = [score(a), score(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  const [p, q] = tieKey ? [tieKey(a.fingerprint), tieKey(b.fingerprint)] : [a.fingerprint, b.fingerprint];
  return p < q ? 1 : p > q ? -1 : 0;
}

/** The fields that come from the result with the strongest evidence. */
const EVIDENCE_FIELDS = [
  'fingerprint', 'ruleId', 'ruleName', 'message', 'location', 'absoluteLocation', 'snippet', 'relatedLocations', 'codeFlow',
  'suppression', 'securitySeverity', 'precision', 'ruleHelp',
] as const satisfies readonly (keyof NormalisedFinding)[];

/**
 * Folds `source` into `target` (edited in place; it keeps its identity in the set). Lists are
 * replaced, never edited: findings of one run share their tool, CWE and report lists.
 */
export function foldInto(target: NormalisedFinding, source: NormalisedFinding, tieKey?: (fingerprint: string) => string): void {
  const fingerprints = new Set([target.fingerprint, ...(target.aliases ?? []), source.fingerprint, ...(source.aliases ?? [])]);
  if (strongerEvidence(source, target, tieKey) > 0) {
    const mutable = target as unknown as Record<string, unknown>;
    for (const key of EVIDENCE_FIELDS) {
      if (source[key] === undefined) delete mutable[key];
      else mutable[key] = source[key];
    }
  }
  fingerprints.delete(target.fingerprint);
  if (fingerprints.size > 0) target.aliases = [...fingerprints].sort();
  else delete target.aliases;
  const tools = new Map([...target.tools, ...source.tools].map((tool) => [toolKey(tool), tool]));
  if (tools.size !== target.tools.length) target.tools = [...tools.values()].sort((a, b) => toolKey(a).localeCompare(toolKey(b))).map((tool) => ({ ...tool }));
  const reports = new Map([...(target.reports ?? []), ...(source.reports ?? [])].map((report) => [reportKey(report), report]));
  if (reports.size !== (target.reports?.length ?? 0)) target.reports = [...reports.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, report]) => ({ ...report }));
  if (source.cwes.some((cwe) => !target.cwes.includes(cwe))) {
    target.cwes = [...new Set([...target.cwes, ...source.cwes])].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  }
  const weaknesses = new Set([...(target.weaknesses ?? []), ...(source.weaknesses ?? [])]);
  if (weaknesses.size !== (target.weaknesses?.length ?? 0)) target.weaknesses = [...weaknesses].sort();
  target.severity = maxSeverity(target.severity, source.severity);
}
