/**
 * The resolver contract (ARCHITECTURE.md §4.3): what each resolver key takes and answers. The one
 * source of truth for both sides: `src/services/repository-views.ts` and `src/entry/resolvers.ts`
 * are checked against it, and the Custom UI pages import it through
 * `static/shared/src/api-types.ts`. Type-only on purpose: esbuild erases it, so the browser
 * bundles never pull in backend code. Change a field here and `tsc` shows every place that must follow.
 */
import type { FindingStatus, NoiseCategory, Severity, Verdict } from '../domain/finding';

export type { FindingStatus, NoiseCategory, Severity, Verdict } from '../domain/finding';

export type Grouping = 'per-codemod' | 'per-file' | 'per-finding';

export interface Policy {
  autoPullRequests: boolean;
  minSeverity: Severity;
  minConfidence: number;
  grouping: Grouping;
  maxOpenPullRequests: number;
  maxNewPullRequestsPerScan: number;
  pathExcludes: string[];
  /** Rule ids triaged won't-fix by workspace policy and never fixed (absent from older backends). */
  ignoreRules?: string[];
  /** CWEs treated the same way, as `CWE-79`. */
  ignoreCwes?: string[];
  /** Codemod ids turned off for the workspace; codemods not listed are on (so new ones start on). */
  disabledCodemods?: string[];
  codeInsights: boolean;
  /** The merge check fails a pull request introducing an open finding at or above this severity (absent from older backends). */
  mergeCheckMinSeverity?: Severity;
  /** The merge check's answer when no scan of the pull request's latest commit has been received. */
  mergeCheckWithoutScan?: 'pass' | 'fail';
}

export interface Settings {
  username: string;
  email: string;
  hasApiToken: boolean;
  apiTokenSetAt?: string;
  apiTokenSetBy?: string;
  uploadUrl: string;
  hasUploadToken: boolean;
  uploadTokenSetAt?: string;
  policy: Policy;
}

/** A type alias, not an interface, so it satisfies the bridge's index-signature payload type. */
export type SaveSettingsPayload = {
  username: string;
  email: string;
  apiToken?: string;
  /** Deletes the stored token (the backend's spelling; an empty apiToken is rejected). */
  removeApiToken?: boolean;
  policy?: Partial<Policy>;
};

export interface ConnectionCheck {
  id: string;
  label?: string;
  ok: boolean;
  detail: string;
}

export interface ConnectionResult {
  ok: boolean;
  checks: ConnectionCheck[];
}

/** One codemod of the catalogue, as the settings page lists it. */
export interface CodemodInfo {
  id: string;
  title: string;
  summary: string;
  languages: string[];
  cwes: string[];
}

export interface PullRequestLink {
  id: number;
  url: string;
  state: string;
}

export interface FindingItem {
  id: string;
  ruleId: string;
  tools: string[];
  /** Every tool and rule id that reported it (several when scanners or rules agreed at one place); older answers lack it. */
  rules?: { tool: string; ruleId: string }[];
  path?: string;
  line?: number;
  severity: Severity;
  verdict: Verdict;
  confidence: number;
  justification: string;
  /** Why a false-positive or won't-fix verdict set it aside (see `NoiseCategory`); older answers lack it. */
  category?: NoiseCategory;
  status: FindingStatus;
  message: string;
  fix?: { codemodId: string; title: string };
  /**
   * A fix was made, or the scan's dry run verified one on this finding's code at the scanned commit
   * (a codemod's detector matched there and its fix passed verification) and it is not turned off.
   * Never for a rule or CWE lookup alone. Older answers lack it.
   */
  fixAvailable?: boolean;
  /** What the scan's dry run made of the finding: why there is or is not a fix (absent for findings stored before it existed). */
  fixOutcome?: FixOutcomeView;
  /** The catalogue's fix for this finding is turned off in the workspace policy (so none is offered). */
  fixDisabled?: { codemodId: string; title: string };
  pullRequest?: PullRequestLink;
}

/** The scan's dry run of the codemods on one finding, as the pages show it. */
export type FixOutcomeView =
  | { kind: 'fixed'; codemodId: string; title: string; description: string }
  /** Each codemod offered was tried, in order; `matched`: its detector found its shape at the finding. */
  | { kind: 'not-fixed'; reason: string; tried: { codemodId: string; title: string; reason: string; matched: boolean }[] }
  /** No codemod was tried: none handles its rules, the fix is turned off, or its file was not read. */
  | { kind: 'not-tried'; reason: string };

export interface FindingFilter {
  verdict?: Verdict;
  severity?: Severity;
  status?: FindingStatus;
  /** Case-insensitive substring of a tool name. */
  tool?: string;
  /** Path prefix or substring, case-insensitive. */
  path?: string;
}

export interface FindingCounts {
  total: number;
  byVerdict: Record<string, number>;
  bySeverity: Record<string, number>;
  byStatus: Record<string, number>;
}

export type FindingSort = 'severity' | 'confidence' | 'path' | 'newest';

export interface FindingPage {
  items: FindingItem[];
  nextCursor?: string;
  /** Repository-wide. */
  counts: FindingCounts;
  /** Only the findings the filter matches (the same as `counts` without a filter). */
  filteredCounts?: FindingCounts;
}

/** A place in the code the scanner names besides the primary location: a related location or a code-flow step. */
export interface LocatedStep {
  /** Repository-relative; absent when the scanner named no file of the repository. */
  path?: string;
  line?: number;
  message?: string;
  /** The file at the scanned commit on Bitbucket. */
  fileUrl?: string;
  /** Only on a marker step: this many steps (or locations) were left out here to keep the finding small. */
  omitted?: number;
}

export interface FindingDetail extends Omit<FindingItem, 'fix'> {
  factors: { id: string; weight: number; detail: string }[];
  snippet?: string;
  cwes: string[];
  commit: string;
  /** The file at the scanned commit on Bitbucket, when the finding has a location. */
  fileUrl?: string;
  /**
   * Source to sink, in order (the first thread flow of the first code flow); a long flow keeps its
   * first and last steps around a marker `{omitted}`. Only in the detail, never in list rows.
   */
  codeFlow?: LocatedStep[];
  /** Other places the scanner names (at most ten, then a marker `{omitted}`). */
  relatedLocations?: LocatedStep[];
  fix?: { codemodId: string; title: string; description: string; diff: string };
}

export interface PullRequestItem {
  id: number;
  title: string;
  url: string;
  state: string;
  branch: string;
  codemodId: string;
  findingIds: string[];
}

export interface ScanItem {
  id: string;
  status: string;
  commit: string;
  branch?: string;
  tools: string[];
  /** The analyses (tool and category) the upload held; older scans lack it. */
  analyses?: string[];
  /** `trimmed`: SARIF values cut or dropped at their bound (src/domain/sarif/README.md, "Bounds"); absent when none. */
  counts: { results: number; findings: number; merged: number; skipped: number; trimmed?: number };
  /**
   * Why SARIF results were not used, one entry per reason: `index` is the first such result, `count`
   * how many (absent in scans stored before counts were kept: then 1), `examples` a few indexes.
   */
  skipped?: { index: number; reason: string; count?: number; examples?: number[] }[];
  pullRequests?: { id: number; url: string }[];
  /** Fixable findings the PR caps (open PRs per repository, new PRs per scan) held back; a later scan proposes them. */
  waitingForCap?: number;
  createdAt: string;
  error?: string;
}

export interface CreatePullRequestResult {
  pullRequests: { id: number; url: string }[];
  /** Findings or groups that got no pull request, and why. */
  notes?: string[];
}

/** Every resolver key: payload in, `data` out (the envelope is `{ok:true,data}` or `{ok:false,error}`). */
export interface ResolverMap {
  getSettings: { payload: Record<string, never>; result: Settings };
  saveSettings: { payload: SaveSettingsPayload; result: Settings };
  testConnection: { payload: { repository?: string }; result: ConnectionResult };
  rotateUploadToken: { payload: Record<string, never>; result: { token: string } };
  revokeUploadToken: { payload: Record<string, never>; result: { revoked: boolean } };
  listCodemods: { payload: Record<string, never>; result: { items: CodemodInfo[] } };
  listFindings: { payload: { filter?: FindingFilter; cursor?: string; sort?: FindingSort; limit?: number }; result: FindingPage };
  getFinding: { payload: { id: string }; result: FindingDetail };
  listPullRequests: { payload: Record<string, never>; result: { items: PullRequestItem[] } };
  listScans: { payload: Record<string, never>; result: { items: ScanItem[] } };
  createPullRequest: { payload: { findingIds: string[] }; result: CreatePullRequestResult };
  dismissFinding: { payload: { id: string; verdict: Verdict; reason: string }; result: FindingItem };
  undoDismissal: { payload: { id: string }; result: FindingItem };
}

export type ResolverKey = keyof ResolverMap;
