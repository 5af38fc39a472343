/** The normalised shapes every layer agrees on. SARIF, triage, codemods and PRs all meet here. */

/** Most severe first; the index is the sort rank. */
export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

export const verdicts = ['true_positive', 'false_positive', 'wont_fix', 'suspicious'] as const;
export type Verdict = (typeof verdicts)[number];

/**
 * Why a finding was set aside (false positive or won't fix): test code; code that does not ship
 * (fixtures, snippet or challenge data, seed scripts, build and developer tooling, docs and
 * examples); an inline suppression; a rule with no security impact at that place; input that is
 * sanitised, constant or allow-listed; a written policy.
 */
export const noiseCategories = ['test_code', 'non_production', 'suppressed_in_code', 'not_security', 'defused', 'policy'] as const;
export type NoiseCategory = (typeof noiseCategories)[number];

export const findingStatuses = ['open', 'fix_proposed', 'fixed', 'dismissed', 'suppressed'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

export interface SourceLocation {
  /** Repository-relative path with forward slashes; never absolute, never escaping the repository. */
  path: string;
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * Where a scanner pointed with an absolute path no `uriBaseId` resolves (a CI checkout such as
 * `/home/runner/work/app/app/src/x.py`). Never read or written by the app: the scan job maps it to a
 * repository path by matching the repository's files at the commit (`src/services/scan/resolve-paths.ts`).
 */
export interface AbsoluteLocation {
  absolutePath: string;
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  /** Why it could not be mapped to exactly one repository file (set by the scan job). */
  unmapped?: string;
  /** What the fingerprint needs once the path is known (a finding only; see sarif/fingerprint.ts). */
  lineHash?: string;
  occurrence?: number;
}

/** A place the scanner points at besides the primary location (a source, a sink, a step). */
export interface LocatedMessage {
  /** Undefined when the step names no file of the repository (an image, an escaping URI). */
  location?: SourceLocation;
  message?: string;
  /** An absolute path waiting to be mapped (see `AbsoluteLocation`); never set together with `location`. */
  absoluteLocation?: AbsoluteLocation;
  /** Set only on the marker step standing where this many steps of a long code flow were left out. */
  omitted?: number;
}

/** One scanner rule that reported a finding, in one analysis (see `sarif/analysis.ts`). */
export interface RuleReport {
  tool: string;
  ruleId: string;
  /** `tool|category`: which analysis reported it; only a later scan of the same analysis may call it gone. */
  analysis: string;
}

/** One problem as reported by one or more scanners, before triage. */
export interface NormalisedFinding {
  fingerprint: string;
  ruleId: string;
  ruleName?: string;
  tools: { name: string; version?: string }[];
  severity: Severity;
  cwes: string[];
  message: string;
  /** Undefined when the result names no file we could ever read (an image, an escaping URI). */
  location?: SourceLocation;
  /** An absolute CI path waiting to be mapped to `location`, or that could not be (`unmapped` says why). */
  absoluteLocation?: AbsoluteLocation;
  snippet?: string;
  /** SARIF `relatedLocations`, bounded (see the normaliser for the limits). */
  relatedLocations?: LocatedMessage[];
  /** The first thread flow of the first code flow, source to sink, bounded. */
  codeFlow?: LocatedMessage[];
  suppression?: { kind: string; justification?: string };
  /** security-severity from the rule, 0–10, when the scanner gives one. */
  securitySeverity?: number;
  /** `precision` from the rule's properties (very-high, high, medium, low) when given. */
  precision?: string;
  /** The rule's help text (markdown or plain), trimmed. */
  ruleHelp?: string;
  /**
   * Every rule that reported this finding (several when results of several scanners or rules at
   * one place were folded into it), sorted. Absent on findings stored before analyses existed:
   * read it through `reportsOf`.
   */
  reports?: RuleReport[];
  /** Weaknesses the equivalence table names for its rules (`sarif/weakness-table.ts`), sorted. */
  weaknesses?: string[];
  /** Fingerprints of results folded into this finding; a later upload of any of them lands here. */
  aliases?: string[];
  /**
   * Set on findings of a pull request's scans (the PR's id): they live apart from the repository's
   * findings, and their fixes go into the PR's own branch.
   */
  prScope?: number;
  /** On a pull request's findings: whether the PR introduces it (not already on its destination branch). */
  introduced?: boolean;
}

/** The rules that reported a finding; one per tool for findings stored before reports were kept. */
export function reportsOf(finding: Pick<NormalisedFinding, 'reports' | 'ruleId' | 'tools'>): RuleReport[] {
  if (finding.reports && finding.reports.length > 0) return finding.reports;
  return finding.tools.map((tool) => ({ tool: tool.name, ruleId: finding.ruleId, analysis: tool.name.trim().toLowerCase() }));
}

/** The distinct rule ids of a finding, its own first. */
export function ruleIdsOf(finding: Pick<NormalisedFinding, 'reports' | 'ruleId' | 'tools'>): string[] {
  return [...new Set([finding.ruleId, ...reportsOf(finding).map((report) => report.ruleId)])];
}

/** The distinct analyses that reported a finding. */
export function analysesOf(finding: Pick<NormalisedFinding, 'reports' | 'ruleId' | 'tools'>): string[] {
  return [...new Set(reportsOf(finding).map((report) => report.analysis))];
}

export interface TriageFactor {
  /** A short stable id (e.g. `test-code`, `severity`, `fix-available`). */
  id: string;
  /** Confidence points this factor adds (may be negative). */
  weight: number;
  /** One sentence a reviewer can check. */
  detail: string;
}

/**
 * `factors` always sum to `confidence`: the first is the `base` the verdict starts from (a prior
 * for the rule's weakness family, or the strength of the deciding evidence), named in its detail.
 */
export interface TriageResult {
  verdict: Verdict;
  confidence: number;
  justification: string;
  factors: TriageFactor[];
  /** Set on every false-positive and won't-fix verdict: why it was set aside. */
  category?: NoiseCategory;
}

export interface FixSummary {
  codemodId: string;
  title: string;
  description: string;
  diff: string;
}

export interface PullRequestRef {
  id: number;
  url: string;
  state: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  branch: string;
}

/** One codemod tried on a finding that it did not fix; `matched`: its detector found its shape there. */
export interface CodemodAttempt {
  codemodId: string;
  reason: string;
  matched: boolean;
}

/**
 * What the scan's dry run of the codemods made of a finding, on the file as the scan read it at
 * `commit`: fixed by one codemod (the first, most specific first, whose fix passed verification),
 * or each codemod tried with its reason, or why none was tried (no codemod for its rules, turned
 * off, its file not read). Only `fixed` means a fix is available.
 */
export type FindingFixOutcome =
  | { kind: 'fixed'; codemodId: string; commit: string; description: string }
  | { kind: 'not-fixed'; commit: string; reason: string; tried: CodemodAttempt[] }
  /** `deferred`: its file was left unread by a per-scan cap or the request budget; the fix step reads it and tries them. */
  | { kind: 'not-tried'; reason: string; codemods: string[]; deferred?: boolean };

/** A stored finding: normalised, triaged, maybe fixed. */
export interface Finding extends NormalisedFinding {
  id: string;
  workspaceId: string;
  repoUuid: string;
  commit: string;
  status: FindingStatus;
  verdict: Verdict;
  confidence: number;
  justification: string;
  factors: TriageFactor[];
  /** Why triage set it aside (false positive and won't fix only). */
  category?: NoiseCategory;
  fix?: FixSummary;
  /** The dry run of the scan that last saw it (absent on findings stored before it existed). */
  fixOutcome?: FindingFixOutcome;
  pullRequest?: PullRequestRef;
  /** A reviewer declined the fix's pull request: that fix is never proposed again for this finding (it stays open). */
  fixDeclined?: FixDeclined;
  /** The person's dismissal in force, with the state it replaced so an undo restores exactly that. */
  dismissal?: Dismissal;
  /** Decisions on the finding, oldest first (dismissals, undos, declined fixes): kept for good. */
  history?: DecisionEvent[];
  firstSeenScanId: string;
  lastSeenScanId: string;
  createdAt: string;
  updatedAt: string;
}

/** The declined pull request that carried a finding's fix. */
export interface FixDeclined {
  pullRequestId: number;
  codemodId?: string;
  at: string;
}

/** What a dismissal replaced: the triaged state an undo brings back. */
export interface TriagedState {
  status: FindingStatus;
  verdict: Verdict;
  confidence: number;
  justification: string;
  factors: TriageFactor[];
}

export interface Dismissal {
  verdict: Verdict;
  reason: string;
  /** An Atlassian account id. */
  by: string;
  at: string;
  before: TriagedState;
}

export const decisionActions = ['dismissed', 'dismissal-undone', 'fix-declined'] as const;
export type DecisionAction = (typeof decisionActions)[number];

/** One decision of the history: who (an account id, or `pull-request-review`), when, and why. */
export interface DecisionEvent {
  action: DecisionAction;
  by: string;
  at: string;
  reason?: string;
  verdict?: Verdict;
  pullRequestId?: number;
}
