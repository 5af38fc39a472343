/** SarifLog → NormalisedFinding[] with counts. See README.md for every rule applied here. */
import type { Log } from 'sarif';
import type { NormalisedFinding, SourceLocation } from '../finding';
import { FindingSet } from './dedupe';
import { fingerprint, isRedacted, LineHashAudit, snippetGroup, type FingerprintInput } from './fingerprint';
import { bound, formatMessage } from './message';
import { buildPathContext, isImageFinding, isImageTarget, isVulnerabilityRule, resolveArtifactLocation, type PathContext } from './paths';
import { collectCwes, ruleCweNumbers, ruleDisplayName, ruleHelpText, RuleCatalog } from './rules';
import { checkShape, logRunsSchema, resultSchema, runSchema, type JsonPath, type ResultData, type RuleData, type RunData, type SarifLog } from './schema';
import { parseSecuritySeverity, resolveSeverity } from './severity';

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
}

export type RuleClassifier = (finding: { ruleId: string; cwes: string[]; path: string }) => string | undefined;

export interface ToolRef {
  name: string;
  version?: string;
}

/** `index` is the global result index: results of earlier runs are counted first (run 0's results are 0…n-1, run 1's follow). */
export interface SkippedResult {
  index: number;
  reason: string;
}

/** `results = findings + merged + skipped`. */
export interface NormaliseCounts {
  results: number;
  findings: number;
  merged: number;
  skipped: number;
}

export interface NormalisedLog {
  findings: NormalisedFinding[];
  counts: NormaliseCounts;
  skipped: SkippedResult[];
  /** Each distinct driver (name, `semanticVersion` ?? `version`) in run order. */
  tools: ToolRef[];
}

/** What a rule contributes to each of its findings, computed once per rule. */
interface RuleInfo {
  ruleName: string | undefined;
  ruleHelp: string | undefined;
  cwes: number[];
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
}

/** A finding before its fingerprint is known (snippet occurrences need every result first). */
interface Draft {
  finding: Omit<NormalisedFinding, 'fingerprint'>;
  key: FingerprintInput;
}

const LIMIT_REASON = 'result limit reached';
const NO_RULE_REASON = 'no rule: ruleId, rule.id and ruleIndex/rule.index are all missing or point at no rule';

/**
 * Normalises every result of every run. Throws `invalid_sarif` (naming the JSON path) when a field
 * it reads has the wrong JSON type; tolerates missing ones. Results are kept in input order;
 * duplicates fold into the first finding (see dedupe.ts).
 */
export function normaliseLog(log: SarifLog | Log, options: NormaliseOptions = {}): NormalisedLog {
  const maxResults = Math.max(0, Math.floor(options.maxResults ?? DEFAULT_MAX_RESULTS));
  const { runs } = checkShape(logRunsSchema, log, []);
  const drafts: Draft[] = [];
  const skipped: SkippedResult[] = [];
  const tools: ToolRef[] = [];
  let total = 0;

  runs.forEach((rawRun, runIndex) => {
    const runPath: JsonPath = ['runs', runIndex];
    const run = checkShape(runSchema, rawRun, runPath);
    const results = run.results ?? [];
    const tool = toolOf(run);
    if (!tools.some((t) => t.name === tool.name && t.version === tool.version)) tools.push(tool);
    const within = Math.max(0, Math.min(results.length, maxResults - total));
    const context = runContext(run, runPath, tool, results.slice(0, within));

    for (let j = 0; j < results.length; j++) {
      const index = total + j;
      if (j >= within) {
        skipped.push({ index, reason: LIMIT_REASON });
        continue;
      }
      const result = checkShape(resultSchema, results[j], [...runPath, 'results', j]);
      const outcome = normaliseResult(result, context);
      if (typeof outcome === 'string') skipped.push({ index, reason: outcome });
      else drafts.push(outcome);
    }
    total += results.length;
  });

  const occurrences = snippetOccurrences(drafts);
  const set = new FindingSet(options.ruleClass);
  let merged = 0;
  drafts.forEach(({ finding, key }, i) => {
    const full: NormalisedFinding = { fingerprint: fingerprint({ ...key, occurrence: occurrences[i] }), ...finding };
    if (set.add(full) === 'merged') merged++;
  });

  return {
    findings: set.findings,
    counts: { results: total, findings: set.findings.length, merged, skipped: skipped.length },
    skipped,
    tools,
  };
}

/**
 * For each draft with a snippet-based fingerprint, its occurrence: the 1-based rank of its start line
 * among the distinct start lines of its snippet group (same rule, path and snippet). Undefined otherwise.
 */
function snippetOccurrences(drafts: readonly Draft[]): (number | undefined)[] {
  const groups = drafts.map(({ key }) => snippetGroup(key));
  const lines = new Map<string, Set<number>>();
  groups.forEach((group, i) => {
    if (group === undefined) return;
    const line = drafts[i]?.key.startLine ?? 1;
    const set = lines.get(group);
    if (set) set.add(line);
    else lines.set(group, new Set([line]));
  });
  const ranks = new Map<string, Map<number, number>>();
  for (const [group, set] of lines) ranks.set(group, new Map([...set].sort((a, b) => a - b).map((line, rank) => [line, rank + 1])));
  return groups.map((group, i) => (group === undefined ? undefined : ranks.get(group)?.get(drafts[i]?.key.startLine ?? 1)));
}

function toolOf(run: RunData): ToolRef {
  const { name, semanticVersion, version } = run.tool.driver;
  const v = semanticVersion || version;
  return v ? { name, version: v } : { name };
}

/** Reads a nested property of unvalidated JSON without trusting its shape. */
function peek(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function runContext(run: RunData, runPath: JsonPath, tool: ToolRef, results: readonly unknown[]): RunContext {
  const lineHashes = new LineHashAudit();
  let imageScan = typeof peek(run.properties, 'imageName') === 'string';
  // One pass over the raw results (before they are validated) to spot constant line hashes and image targets.
  for (const raw of results) {
    const artifact = peek(raw, 'locations', 0, 'physicalLocation', 'artifactLocation');
    const uri = peek(artifact, 'uri');
    const ruleId = peek(raw, 'ruleId') ?? peek(raw, 'rule', 'id');
    if (!imageScan && typeof uri === 'string' && typeof ruleId === 'string' && isVulnerabilityRule(ruleId) && isImageTarget(uri)) imageScan = true;
    const lineHash = peek(raw, 'partialFingerprints', 'primaryLocationLineHash');
    if (typeof lineHash === 'string') {
      const line = peek(raw, 'locations', 0, 'physicalLocation', 'region', 'startLine');
      const fileKey = `${String(peek(artifact, 'uriBaseId') ?? '')}|${String(uri ?? `#${String(peek(artifact, 'index'))}`)}`;
      lineHashes.record(fileKey, lineHash, typeof line === 'number' ? line : 1);
    }
  }
  return { run, ruleInfo: new Map(), tool, paths: buildPathContext(run), rules: new RuleCatalog(run, runPath), lineHashes, imageScan };
}

const positive = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.trunc(value) : undefined;

type RegionData = NonNullable<NonNullable<NonNullable<ResultData['locations']>[number]['physicalLocation']>['region']>;

function sourceLocation(path: string, region: RegionData | null | undefined): SourceLocation {
  const startLine = positive(region?.startLine) ?? 1;
  const location: SourceLocation = { path, startLine };
  const startColumn = positive(region?.startColumn);
  const endLine = positive(region?.endLine);
  const endColumn = positive(region?.endColumn);
  if (startColumn !== undefined) location.startColumn = startColumn;
  if (endLine !== undefined && endLine >= startLine) location.endLine = endLine;
  if (endColumn !== undefined) location.endColumn = endColumn;
  return location;
}

function ruleInfoOf(rule: RuleData | undefined, context: RunContext): RuleInfo {
  let info = context.ruleInfo.get(rule);
  if (!info) {
    const precision = rule?.properties?.['precision'];
    info = {
      ruleName: rule?.id ? ruleDisplayName(rule, rule.id) : undefined,
      ruleHelp: ruleHelpText(rule),
      cwes: ruleCweNumbers(rule),
      securitySeverity: parseSecuritySeverity(rule?.properties?.['security-severity']),
      precision: typeof precision === 'string' && precision ? precision : undefined,
    };
    context.ruleInfo.set(rule, info);
  }
  return info;
}

/** One result → a finding draft, or the reason it is skipped. */
function normaliseResult(result: ResultData, context: RunContext): Draft | string {
  if (result.kind === 'pass' || result.kind === 'notApplicable') return `kind "${result.kind}" reports no problem`;
  const { id: ruleId, rule } = context.rules.resolve(result);
  if (ruleId === undefined) return NO_RULE_REASON;

  const primary = result.locations?.find((l) => l.physicalLocation) ?? result.locations?.[0];
  const physical = primary?.physicalLocation ?? undefined;
  const artifact = resolveArtifactLocation(physical?.artifactLocation, context.paths);
  const imageFinding = context.imageScan || isImageFinding(ruleId, artifact.rawUri, artifact.path);
  const path = imageFinding ? undefined : artifact.path;
  const location = path === undefined ? undefined : sourceLocation(path, physical?.region);

  const snippetText = physical?.region?.snippet?.text;
  const snippet = snippetText && !isRedacted(snippetText) ? bound(snippetText, MAX_SNIPPET_CHARS) : undefined;
  const message =
    formatMessage(result.message, rule?.messageStrings, context.run.tool.driver.globalMessageStrings) ||
    rule?.shortDescription?.text?.trim() ||
    rule?.fullDescription?.text?.trim() ||
    ruleId;
  const logical = primary?.logicalLocations?.find((l) => l.fullyQualifiedName || l.name);
  const anchor = [logical?.fullyQualifiedName || logical?.name, artifact.rawUri].filter(Boolean).join(' ');

  const info = ruleInfoOf(rule, context);
  const securitySeverity = parseSecuritySeverity(result.properties?.['security-severity']) ?? info.securitySeverity;
  const { precision, ruleHelp } = info;
  // The display name falls back to nothing when it would repeat this result's (possibly hierarchical) rule id.
  const ruleName = info.ruleName === ruleId ? undefined : info.ruleName;
  const suppression = result.suppressions?.find((s) => s.status !== 'rejected');

  const key: FingerprintInput = {
    ruleId,
    message,
    path,
    startLine: location?.startLine,
    lineHash: context.lineHashes.usable(result.partialFingerprints?.['primaryLocationLineHash']),
    snippet,
    anchor,
  };
  const finding: Draft['finding'] = {
    ruleId,
    tools: [{ ...context.tool }],
    severity: resolveSeverity({
      securitySeverity,
      resultLevel: result.level,
      ruleLevel: rule?.defaultConfiguration?.level,
      problemSeverity: rule?.properties?.['problem.severity'],
      kind: result.kind,
    }),
    cwes: collectCwes(info.cwes, result),
    message,
  };
  if (ruleName !== undefined) finding.ruleName = ruleName;
  if (location) finding.location = location;
  if (snippet !== undefined) finding.snippet = snippet;
  if (suppression) finding.suppression = { kind: suppression.kind || 'unknown', ...(suppression.justification ? { justification: suppression.justification } : {}) };
  if (securitySeverity !== undefined) finding.securitySeverity = securitySeverity;
  if (precision !== undefined) finding.precision = precision;
  if (ruleHelp !== undefined) finding.ruleHelp = ruleHelp;
  return { finding, key };
}
