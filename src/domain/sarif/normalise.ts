/** SarifLog → NormalisedFinding[] with counts. See README.md for every rule applied here. */
import type { Log } from 'sarif';
import type { AbsoluteLocation, LocatedMessage, NormalisedFinding, RuleReport, SourceLocation } from '../finding';
import { analysisKey, automationCategory, languageOfUri, languageReader, OTHER_LANGUAGE, toolLanguage } from './analysis';
import { weaknessOf } from './weakness-table';
import { checkRunBounds, MAX_CWES, MAX_TOOLS, MAX_FINGERPRINT_CHARS, MAX_ID_CHARS, MAX_JUSTIFICATION_CHARS, MAX_PRECISION_CHARS, MAX_SUPPRESSION_KIND_CHARS, MAX_URI_CHARS, TrimTally, type TrimmedField } from './bounds';
import { FindingSet } from './dedupe';
import { isResult, isRun } from './fast-shape';
import { fingerprintOf, hashTuple, isRedacted, LineHashAudit, SnippetOccurrences, snippetKey } from './fingerprint';
import { bound, formatMessage, MAX_MESSAGE_CHARS } from './message';
import { buildPathContext, isImageFinding, isImageTarget, isPlainRepositoryPath, isVulnerabilityRule, resolveArtifactLocation, type PathContext } from './paths';
import { collectCwes, MAX_RULE_HELP_CHARS, MAX_RULE_NAME_CHARS, ruleCweNumbers, ruleDisplayName, ruleHelpText, RuleCatalog } from './rules';
import { checkShape, logRunsSchema, resultSchema, runSchema, type JsonPath, type LocationData, type ResultData, type RuleData, type RunData, type SarifLog } from './schema';
import { parseSecuritySeverity, severityOf } from './severity';
import { SkipTally, type SkippedResult } from './skipped';
import { codeFlowOf, MAX_STEP_MESSAGE_CHARS, relatedLocationsOf, type StepContext } from './steps';

export const DEFAULT_MAX_RESULTS = 20_000;
export const MAX_SNIPPET_CHARS = 1000;

export interface NormaliseOptions {
  /** Results beyond this many (counted across all runs) are skipped with "result limit reached". Default 20,000. */
  maxResults?: number;
  /**
   * The vulnerability class a rule belongs to beyond its CWEs (the app passes the codemod that
   * answers it), so two scanners' rules for one problem on one line fold even when their CWEs
   * differ (Semgrep's avoid-pyyaml-load is CWE-502, Bandit's B506 CWE-20).
   */
  ruleClass?: RuleClassifier;
  /** The upload's `category` (already checked): names the analysis of every run in the upload. */
  category?: string;
  /**
   * `tuple`: each finding's `fingerprint` is the tuple its sha256 would digest, not the digest. Equal
   * exactly when the digests are, and an evidence tie in a fold is broken by the tuple's hash, so counts
   * and merges are the same; for a caller that only counts
   * (the web trigger, whose findings the scan job makes again). Default `sha256`.
   */
  fingerprints?: 'sha256' | 'tuple';
}

export type RuleClassifier = (finding: { ruleId: string; cwes: string[]; path: string }) => string | undefined;

export interface ToolRef {
  name: string;
  version?: string;
}

export type { SkippedResult } from './skipped';

/** `results = findings + merged + skipped`. */
export interface NormaliseCounts {
  results: number;
  findings: number;
  merged: number;
  skipped: number;
  /** Values cut or dropped at their bound (see `trimmed`); absent when none was. */
  trimmed?: number;
}

export type { TrimmedField } from './bounds';

export interface NormalisedLog {
  findings: NormalisedFinding[];
  counts: NormaliseCounts;
  skipped: SkippedResult[];
  /** One entry per field that was cut or dropped at its bound (README.md, "Bounds"). */
  trimmed: TrimmedField[];
  /** Each distinct driver (name, `semanticVersion` ?? `version`) in run order. */
  tools: ToolRef[];
  /**
   * The analyses (`sarif/analysis.ts`) the runs speak for, in run order: a categorised run's one,
   * else one per language of the files it names. A later scan of one of them may call its findings gone.
   */
  analyses: string[];
}

/** What a rule contributes to each of its findings, computed once per rule. */
interface RuleInfo {
  ruleName: string | undefined;
  ruleHelp: string | undefined;
  cwes: number[];
  /** `cwes` as finding CWE ids, for results that add none of their own. */
  cweIds: readonly string[];
  securitySeverity: number | undefined;
  precision: string | undefined;
}

interface RunContext {
  run: RunData;
  ruleInfo: Map<RuleData | undefined, RuleInfo>;
  tool: ToolRef;
  paths: PathContext;
  rules: RuleCatalog;
  lineHashes: LineHashAudit;
  /** The run scanned a container image: its paths are inside the image, not in the repository. */
  imageScan: boolean;
  /** `[tool]`, shared by the run's findings (frozen: a fold replaces a finding's tool list, never edits it). */
  tools: readonly ToolRef[];
  /** Rule id → whether it names a package vulnerability (whose paths may name an image). */
  vulnerabilityRules: Map<string, boolean>;
  /** The run's category (the upload's, else its automation id's), if any. */
  category: string | undefined;
  /** The analyses this run speaks for (see `NormalisedLog.analyses`). */
  analyses: string[];
  /** Rule id → file language → what its findings share: the report list and the table's weaknesses (frozen, never edited). */
  ruleReports: Map<string, Map<string, { reports: readonly RuleReport[]; weaknesses: readonly string[] | undefined }>>;
  /** Per result of the run (by index): the primary URI the pre-pass read, and its language (so a result's language is worked out once). */
  resultUris: (string | undefined)[];
  resultLanguages: string[];
  /** Counts what was cut at a bound, against the result being read (`index`, global). */
  trim: TrimTally;
  index: number;
  /** Counts a message cut at its bound against the current result (made once per run: see `normaliseResult`). */
  cutMessage: () => void;
}

/** A finding before its fingerprint is known (snippet occurrences need every result first). */
type DraftFinding = Omit<NormalisedFinding, 'fingerprint'>;

/**
 * The findings of an upload before their fingerprints, with the fingerprint inputs a finding does
 * not hold, item by item in parallel lists (no object per result besides the finding itself). The
 * lists are made at their final size (at most one finding per result read): grown push by push
 * they left about 1.5 MB of copies per 20,000 findings in the young generation.
 */
class Drafts {
  readonly findings: DraftFinding[];
  /** The usable `primaryLocationLineHash`, if any. */
  readonly lineHashes: (string | undefined)[];
  /** Logical location or raw artifact URI, for findings without a path. */
  readonly anchors: string[];
  count = 0;

  constructor(capacity: number) {
    this.findings = new Array<DraftFinding>(capacity);
    this.lineHashes = new Array<string | undefined>(capacity);
    this.anchors = new Array<string>(capacity);
  }

  add(finding: DraftFinding, lineHash: string | undefined, anchor: string): void {
    const i = this.count++;
    this.findings[i] = finding;
    this.lineHashes[i] = lineHash;
    this.anchors[i] = anchor;
  }
}

/** How many results at most are read: those of every run (where `results` is a list), up to the limit. */
function resultsToRead(runs: readonly unknown[], maxResults: number): number {
  let count = 0;
  for (const run of runs) {
    const results = field(run, 'results');
    if (Array.isArray(results)) count += results.length;
  }
  return Math.min(count, maxResults);
}

/** The path a fingerprint is made of: until the scan job maps it, an absolute path stands in for the repository path (it tells lines and files apart the same way). */
const fingerprintPath = (finding: DraftFinding): string | undefined => finding.location?.path ?? finding.absoluteLocation?.absolutePath;
const fingerprintLine = (finding: DraftFinding): number | undefined => finding.location?.startLine ?? finding.absoluteLocation?.startLine;

export const LIMIT_REASON = 'result limit reached';
const NO_RULE_REASON = 'no rule: ruleId, rule.id and ruleIndex/rule.index are all missing or point at no rule';
const LONG_RULE_ID_REASON = `rule id longer than ${MAX_ID_CHARS} characters`;

/**
 * Normalises every result of every run. Throws `invalid_sarif` (naming the JSON path) when a field
 * it reads has the wrong JSON type; tolerates missing ones. Results are kept in input order;
 * duplicates fold into the first finding (see dedupe.ts).
 */
export function normaliseLog(log: SarifLog | Log, options: NormaliseOptions = {}): NormalisedLog {
  const steps = normaliseInSteps(log, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Results (or findings) handled between two pauses of `normaliseInSteps`. */
export const RESULTS_PER_STEP = 512;

/**
 * `normaliseLog` as a generator that pauses after every RESULTS_PER_STEP results (and as often while
 * fingerprinting), so a caller on a server can let other work run between steps; see
 * `src/services/upload/normalise-upload.ts`. Same output and errors as `normaliseLog`.
 */
export function* normaliseInSteps(log: SarifLog | Log, options: NormaliseOptions = {}): Generator<void, NormalisedLog, void> {
  const maxResults = Math.max(0, Math.floor(options.maxResults ?? DEFAULT_MAX_RESULTS));
  const { runs } = checkShape(logRunsSchema, log, []);
  const drafts = new Drafts(resultsToRead(runs, maxResults));
  const skipped = new SkipTally();
  const trim = new TrimTally();
  const tools: ToolRef[] = [];
  const analyses: string[] = [];
  let total = 0;

  for (let runIndex = 0; runIndex < runs.length; runIndex++) {
    const rawRun = runs[runIndex];
    const runPath: JsonPath = ['runs', runIndex];
    const run = isRun(rawRun) ? (rawRun as RunData) : checkShape(runSchema, rawRun, runPath);
    checkRunBounds(run, runPath);
    const results = run.results ?? [];
    const tool = toolOf(run);
    if (!tools.some((t) => t.name === tool.name && t.version === tool.version)) tools.push(tool);
    const within = Math.max(0, Math.min(results.length, maxResults - total));
    const context = runContext(run, runPath, tool, results, within, trim, options.category);
    for (const analysis of context.analyses) if (!analyses.includes(analysis)) analyses.push(analysis);

    for (let j = 0; j < within; j++) {
      const raw = results[j];
      const result = isResult(raw) ? (raw as ResultData) : checkShape(resultSchema, raw, [...runPath, 'results', j]);
      context.index = total + j;
      const skipReason = normaliseResult(result, context, runPath, j, drafts);
      if (skipReason !== undefined) skipped.add(total + j, skipReason);
      if (j % RESULTS_PER_STEP === RESULTS_PER_STEP - 1) yield;
    }
    // Results beyond the limit are neither read nor validated: one entry counts them all.
    if (results.length > within) skipped.add(total + within, LIMIT_REASON, results.length - within);
    total += results.length;
    yield;
  }

  const { findings: drafted, lineHashes, anchors, count } = drafts;
  // The collapsed snippet of each finding a snippet-based fingerprint applies to.
  const snippets = new Array<string | undefined>(count);
  for (let i = 0; i < count; i++) snippets[i] = snippetKey(fingerprintPath(drafted[i]!), lineHashes[i], drafted[i]!.snippet);
  const occurrences = new SnippetOccurrences(count, (i) => snippets[i], (i) => fingerprintLine(drafted[i]!) ?? 1, (i) => drafted[i]!.ruleId);
  for (let i = 0; i < count; i++) {
    const path = fingerprintPath(drafted[i]!);
    if (path !== undefined) occurrences.add(path, i);
  }
  // Findings of different scanners may fold on one line; with a single scanner only equal fingerprints can.
  const tupleOnly = options.fingerprints === 'tuple';
  // With tuples, an evidence tie is still broken by the hashes, so a fold keeps what the scan job's would.
  const set = new FindingSet(options.ruleClass, tupleOnly ? hashTuple : undefined);
  let merged = 0;
  for (let i = 0; i < count; i++) {
    const full = drafted[i]! as NormalisedFinding;
    const snippet = snippets[i];
    const occurrence = snippet === undefined ? undefined : occurrences.occurrence(i);
    const lineHash = lineHashes[i];
    full.fingerprint = fingerprintOf(full.ruleId, full.message, fingerprintPath(full), fingerprintLine(full), lineHash, snippet, anchors[i], occurrence, tupleOnly);
    if (full.absoluteLocation) {
      // What the scan job needs to give the finding the fingerprint it would have had with a relative path.
      if (lineHash) full.absoluteLocation.lineHash = lineHash;
      if (occurrence !== undefined) full.absoluteLocation.occurrence = occurrence;
    }
    // A snippet fingerprint whose rule flags the file once is unique in the upload (other kinds have other tags).
    // A finding alone in its file has a unique fingerprint too (every kind with a path hashes it), and nothing to fold with there.
    const aloneInFile = full.location !== undefined && occurrences.onlyInFile(i);
    if (set.add(full, aloneInFile || (snippet !== undefined && occurrences.isAlone(i)), aloneInFile) === 'merged') merged++;
    if (i % RESULTS_PER_STEP === RESULTS_PER_STEP - 1) yield;
  }

  if (tools.length > MAX_TOOLS) for (let k = MAX_TOOLS; k < tools.length; k++) trim.add('tools', MAX_TOOLS, total);
  return {
    findings: set.findings,
    counts: { results: total, findings: set.findings.length, merged, skipped: skipped.total, ...(trim.total > 0 ? { trimmed: trim.total } : {}) },
    skipped: skipped.entries(),
    trimmed: trim.entries(),
    // The scan row keeps the list in a TEXT column (64 KB on Forge SQL): at most MAX_TOOLS of them.
    tools: tools.length > MAX_TOOLS ? tools.slice(0, MAX_TOOLS) : tools,
    analyses,
  };
}

function toolOf(run: RunData): ToolRef {
  const { name, semanticVersion, version } = run.tool.driver;
  const v = semanticVersion || version;
  return v ? { name, version: v } : { name };
}

/** Reads a property of unvalidated JSON without trusting its shape. */
const field = (value: unknown, key: string | number): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;

/** `value` when it is an object (arrays included), to read a property of unvalidated JSON as `field` does. */
const objectOr = (value: unknown): Readonly<Record<string | number, unknown>> | undefined =>
  value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>) : undefined;

function runContext(run: RunData, runPath: JsonPath, tool: ToolRef, results: readonly unknown[], within: number, trim: TrimTally, category: string | undefined): RunContext {
  const lineHashes = new LineHashAudit();
  const languages = new Set<string>();
  const single = toolLanguage(tool.name);
  if (single) languages.add(single);
  let lastUri: unknown;
  let lastLanguage = OTHER_LANGUAGE;
  const languageOf = languageReader();
  const resultUris = new Array<string | undefined>(within);
  const resultLanguages = new Array<string>(within);
  let imageScan = typeof field(run.properties, 'imageName') === 'string';
  // One pass over the raw results (before they are validated) to spot constant line hashes and image targets.
  for (let i = 0; i < within; i++) {
    const raw = results[i];
    // Each read has its own property load here: through `field`, one load sees every key and shape and is slow for all.
    const physical = objectOr(objectOr(objectOr(raw)?.['locations'])?.[0])?.['physicalLocation'];
    const artifact = objectOr(physical)?.['artifactLocation'];
    const uri = objectOr(artifact)?.['uri'];
    // Over-long values are never used (see bounds.ts): they need not be looked at here either.
    if (typeof uri === 'string' && uri.length > MAX_URI_CHARS) continue;
    if (typeof uri === 'string') {
      if (uri !== lastUri) {
        lastUri = uri;
        languages.add((lastLanguage = languageOf(uri) ?? OTHER_LANGUAGE));
      }
      resultUris[i] = uri;
      resultLanguages[i] = lastLanguage;
    }
    if (!imageScan && typeof uri === 'string' && isImageTarget(uri)) {
      const ruleId = field(raw, 'ruleId') ?? field(field(raw, 'rule'), 'id');
      if (typeof ruleId === 'string' && isVulnerabilityRule(ruleId)) imageScan = true;
    }
    const lineHash = objectOr(objectOr(raw)?.['partialFingerprints'])?.['primaryLocationLineHash'];
    if (typeof lineHash === 'string' && lineHash.length <= MAX_FINGERPRINT_CHARS) {
      const line = field(field(physical, 'region'), 'startLine');
      const fileKey = `${String(field(artifact, 'uriBaseId') ?? '')}|${String(uri ?? `#${String(field(artifact, 'index'))}`)}`;
      lineHashes.record(fileKey, lineHash, typeof line === 'number' ? line : 1);
    }
  }
  const runCategory = category ?? automationCategory(field(field(run, 'automationDetails'), 'id') as string | undefined);
  const artifacts = field(run, 'artifacts');
  if (runCategory === undefined && Array.isArray(artifacts)) {
    for (const artifact of artifacts.slice(0, 10_000)) {
      const uri = field(field(artifact, 'location'), 'uri');
      if (typeof uri === 'string' && uri.length <= MAX_URI_CHARS) languages.add(languageOfUri(uri) ?? OTHER_LANGUAGE);
    }
  }
  const analyses = runCategory !== undefined ? [analysisKey(tool.name, runCategory, undefined)] : [...languages].sort().map((language) => analysisKey(tool.name, undefined, language));
  const context: RunContext = {
    run, ruleInfo: new Map(), tool, paths: buildPathContext(run), rules: new RuleCatalog(run, runPath), lineHashes, imageScan,
    vulnerabilityRules: new Map(), tools: Object.freeze([tool]), trim, index: 0, category: runCategory, analyses, ruleReports: new Map(), resultUris, resultLanguages,
    cutMessage: () => trim.add('message', MAX_MESSAGE_CHARS, context.index),
  };
  return context;
}

const positive = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.trunc(value) : undefined;

type RegionData = NonNullable<NonNullable<NonNullable<ResultData['locations']>[number]['physicalLocation']>['region']>;

function sourceLocation(path: string, region: RegionData | null | undefined): SourceLocation {
  const startLine = positive(region?.startLine) ?? 1;
  const location: SourceLocation = { path, startLine };
  if (!region) return location;
  const startColumn = positive(region.startColumn);
  const endLine = positive(region.endLine);
  const endColumn = positive(region.endColumn);
  if (startColumn !== undefined) location.startColumn = startColumn;
  if (endLine !== undefined && endLine >= startLine) location.endLine = endLine;
  if (endColumn !== undefined) location.endColumn = endColumn;
  return location;
}

function absoluteLocation(absolutePath: string, region: RegionData | null | undefined): AbsoluteLocation {
  const { path: _path, ...place } = sourceLocation('', region);
  return { absolutePath, ...place };
}

/** Where a location points: a repository path, an absolute path waiting to be mapped, or nowhere (images, escaping URIs). */
function placeOf(physical: LocationData['physicalLocation'], ruleId: string, context: RunContext): Pick<LocatedMessage, 'location' | 'absoluteLocation'> & { rawUri?: string } {
  const artifact = resolveArtifactLocation(physical?.artifactLocation, context.paths);
  if (artifact.tooLong) context.trim.add('location URI', MAX_URI_CHARS, context.index);
  const rawUri = artifact.rawUri;
  if (context.imageScan || isImageFinding(ruleId, rawUri, artifact.path ?? artifact.absolute)) return rawUri === undefined ? {} : { rawUri };
  if (artifact.path !== undefined) return { location: sourceLocation(artifact.path, physical?.region), rawUri: rawUri! };
  if (artifact.absolute !== undefined) return { absoluteLocation: absoluteLocation(artifact.absolute, physical?.region), rawUri: rawUri! };
  return rawUri === undefined ? {} : { rawUri };
}

function ruleInfoOf(rule: RuleData | undefined, context: RunContext): RuleInfo {
  let info = context.ruleInfo.get(rule);
  if (!info) context.ruleInfo.set(rule, (info = newRuleInfo(rule, context)));
  return info;
}

/** What a rule contributes, worked out on its first result (apart from `ruleInfoOf`: its closures would make every look-up allocate a context). */
function newRuleInfo(rule: RuleData | undefined, context: RunContext): RuleInfo {
  const precision = rule?.properties?.['precision'];
  const cwes = ruleCweNumbers(rule);
  if (typeof precision === 'string' && precision.length > MAX_PRECISION_CHARS) context.trim.add('rule precision', MAX_PRECISION_CHARS, context.index);
  return {
    ruleName: rule?.id ? ruleDisplayName(rule, rule.id, () => context.trim.add('rule name', MAX_RULE_NAME_CHARS, context.index)) : undefined,
    ruleHelp: ruleHelpText(rule, () => context.trim.add('rule help', MAX_RULE_HELP_CHARS, context.index)),
    cwes,
    // Shared by the findings of this rule (frozen: a fold replaces a finding's CWE list, never edits it).
    cweIds: Object.freeze(collectCwes(cwes, {})),
    securitySeverity: parseSecuritySeverity(rule?.properties?.['security-severity']),
    precision: typeof precision === 'string' && precision && precision.length <= MAX_PRECISION_CHARS ? precision : undefined,
  };
}

/**
 * One result (`runs[r].results[j]`, for an error's JSON path) → a finding draft added to `drafts`, or the reason it is skipped.
 * No closure is made here: a closure over this function's variables would make every call allocate
 * them a context object (about 100 bytes per result of young garbage with the closure itself).
 */
function normaliseResult(result: ResultData, context: RunContext, runPath: JsonPath, j: number, drafts: Drafts): string | undefined {
  if (result.kind === 'pass' || result.kind === 'notApplicable') return `kind "${result.kind}" reports no problem`;
  // Checked before the look-up too, so an over-long id is never hashed into the catalogue's maps.
  if (typeof result.ruleId === 'string' && result.ruleId.length > MAX_ID_CHARS) return LONG_RULE_ID_REASON;
  const { id: ruleId, rule } = context.rules.resolve(result);
  if (ruleId === undefined) return NO_RULE_REASON;
  if (ruleId.length > MAX_ID_CHARS) return LONG_RULE_ID_REASON;

  const locations = result.locations;
  const primary = locations && locations.length > 0 ? (locations[0]?.physicalLocation ? locations[0] : (locations.find((l) => l.physicalLocation) ?? locations[0])) : undefined;
  const physical = primary?.physicalLocation ?? undefined;
  const artifactLocation = physical?.artifactLocation;
  const uri = artifactLocation?.uri;
  let location: SourceLocation | undefined;
  let pending: AbsoluteLocation | undefined;
  let rawUri: string | undefined;
  // The common case (a clean relative path, not an image scan) needs none of placeOf's work. Without
  // its own uriBaseId an indexed location takes the artifact's base, so that case goes the long way.
  const ownBase = artifactLocation?.uriBaseId ?? (artifactLocation?.index == null ? undefined : null);
  if (uri && uri.length <= MAX_URI_CHARS && ownBase !== null && !context.imageScan && !isVulnerability(ruleId, context) && isPlainRepositoryPath(uri, ownBase, context.paths)) {
    location = sourceLocation(uri, physical?.region);
    rawUri = uri;
  } else ({ location, absoluteLocation: pending, rawUri } = placeOf(physical, ruleId, context));

  const snippetText = physical?.region?.snippet?.text;
  const snippet = snippetText && !isRedacted(snippetText) ? clip(snippetText, MAX_SNIPPET_CHARS, 'snippet', context) : undefined;
  const message =
    formatMessage(result.message, rule?.messageStrings, context.run.tool.driver.globalMessageStrings, MAX_MESSAGE_CHARS, context.cutMessage) ||
    clip(rule?.shortDescription?.text?.trim() || rule?.fullDescription?.text?.trim() || ruleId, MAX_MESSAGE_CHARS, 'message', context);
  const logical = primary?.logicalLocations?.find((l) => l.fullyQualifiedName || l.name);
  const logicalName = logical?.fullyQualifiedName || logical?.name;
  const anchor = logicalName && rawUri ? `${logicalName} ${rawUri}` : (logicalName || rawUri || '');

  const info = ruleInfoOf(rule, context);
  const securitySeverity = parseSecuritySeverity(result.properties?.['security-severity']) ?? info.securitySeverity;
  const { precision, ruleHelp } = info;
  // The display name falls back to nothing when it would repeat this result's (possibly hierarchical) rule id.
  const ruleName = info.ruleName === ruleId ? undefined : info.ruleName;
  const suppression = result.suppressions?.find((s) => s.status !== 'rejected');

  const rawLineHash = result.partialFingerprints?.['primaryLocationLineHash'];
  const longHash = typeof rawLineHash === 'string' && rawLineHash.length > MAX_FINGERPRINT_CHARS;
  if (longHash) context.trim.add('partialFingerprints.primaryLocationLineHash', MAX_FINGERPRINT_CHARS, context.index);
  const lineHash = longHash ? undefined : context.lineHashes.usable(rawLineHash);
  const severity = severityOf(securitySeverity, result.level, rule?.defaultConfiguration?.level, rule?.properties?.['problem.severity'], result.kind);
  const cwes = cwesOf(result.properties == null && !result.taxa?.length ? (info.cweIds as string[]) : collectCwes(info.cwes, result), context);
  const shared = ruleReportsOf(ruleId, rule, info.ruleName, rawUri ?? pending?.absolutePath, context, j);
  // Every finding has these, in this order (the order its JSON keeps): one literal, no added property.
  // Most also have a location next, and a snippet after it: then they are in the literal too. Each
  // property added later goes to a separate list that grows by copying, and the copies are young
  // garbage whose collection copies the whole parsed log (README.md, "Speed").
  const tools = context.tools as NormalisedFinding['tools'];
  const reports = shared.reports as RuleReport[];
  const plain = location && !shared.weaknesses && ruleName === undefined;
  const finding: DraftFinding =
    plain && snippet !== undefined
      ? { ruleId, tools, severity, cwes, message, reports, location, snippet }
      : plain
        ? { ruleId, tools, severity, cwes, message, reports, location }
        : { ruleId, tools, severity, cwes, message, reports };
  if (shared.weaknesses) finding.weaknesses = shared.weaknesses as string[];
  if (ruleName !== undefined) finding.ruleName = ruleName;
  if (location && finding.location === undefined) finding.location = location;
  if (pending) finding.absoluteLocation = pending;
  if (snippet !== undefined && finding.snippet === undefined) finding.snippet = snippet;
  if (suppression) {
    const kind = suppression.kind ? clip(suppression.kind, MAX_SUPPRESSION_KIND_CHARS, 'suppression kind', context) : 'unknown';
    const justification = suppression.justification ? clip(suppression.justification, MAX_JUSTIFICATION_CHARS, 'suppression justification', context) : undefined;
    finding.suppression = { kind, ...(justification ? { justification } : {}) };
  }
  if (securitySeverity !== undefined) finding.securitySeverity = securitySeverity;
  if (precision !== undefined) finding.precision = precision;
  if (ruleHelp !== undefined) finding.ruleHelp = ruleHelp;
  if (result.relatedLocations?.length || result.codeFlows?.length) {
    const steps = stepContext(ruleId, rule, context, runPath, j);
    const related = relatedLocationsOf(result, steps);
    const codeFlow = codeFlowOf(result, steps);
    if (related) finding.relatedLocations = related;
    if (codeFlow) finding.codeFlow = codeFlow;
  }
  drafts.add(finding, lineHash, anchor);
  return undefined;
}

/** The report list and weaknesses every finding of one rule in one run shares (computed once per rule id and file language). */
function ruleReportsOf(ruleId: string, rule: RuleData | undefined, ruleName: string | undefined, uri: string | undefined, context: RunContext, j: number) {
  let language = '';
  if (context.category === undefined) {
    if (uri === undefined) language = OTHER_LANGUAGE;
    else language = uri === context.resultUris[j] ? context.resultLanguages[j]! : (languageOfUri(uri) ?? OTHER_LANGUAGE);
  }
  let byLanguage = context.ruleReports.get(ruleId);
  if (!byLanguage) context.ruleReports.set(ruleId, (byLanguage = new Map()));
  let shared = byLanguage.get(language);
  if (!shared) {
    const helpUri = field(rule, 'helpUri');
    const weakness = weaknessOf({ ruleId, ruleName, helpUri: typeof helpUri === 'string' ? helpUri : undefined });
    shared = {
      reports: Object.freeze([Object.freeze({ tool: context.tool.name, ruleId, analysis: analysisKey(context.tool.name, context.category, language) })]),
      weaknesses: weakness ? Object.freeze([weakness]) : undefined,
    };
    byLanguage.set(language, shared);
  }
  return shared;
}

/** `value` cut to `max` characters; a cut is counted against the current result. */
function clip(value: string, max: number, field: string, context: RunContext): string {
  if (value.length <= max) return value;
  context.trim.add(field, max, context.index);
  return bound(value, max);
}

function cwesOf(cwes: string[], context: RunContext): string[] {
  if (cwes.length <= MAX_CWES) return cwes;
  context.trim.add('cwes', MAX_CWES, context.index);
  return cwes.slice(0, MAX_CWES);
}

function isVulnerability(ruleId: string, context: RunContext): boolean {
  let known = context.vulnerabilityRules.get(ruleId);
  if (known === undefined) context.vulnerabilityRules.set(ruleId, (known = isVulnerabilityRule(ruleId)));
  return known;
}

/** The steps' context of result `j` of the run at `runPath` (its closures are made here: see `normaliseResult`). */
function stepContext(ruleId: string, rule: RuleData | undefined, context: RunContext, runPath: JsonPath, j: number): StepContext {
  return {
    ruleStrings: rule?.messageStrings,
    globalStrings: context.run.tool.driver.globalMessageStrings,
    at: () => [...runPath, 'results', j],
    onCut: () => context.trim.add('step message', MAX_STEP_MESSAGE_CHARS, context.index),
    place: (location) => {
      const { rawUri: _rawUri, ...place } = placeOf(location.physicalLocation, ruleId, context);
      return place;
    },
  };
}
