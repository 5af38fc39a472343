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
  /** Only from saveSettings when credentials changed: the sign-in check it ran (a 401 refuses the save instead). */
  signIn?: { ok: boolean; detail: string };
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
  /** False only for a failed check (a check not tested yet is not a failure). */
  ok: boolean;
  /** Passed, failed, or could not run yet (neutral); older answers lack it. */
  outcome?: 'passed' | 'failed' | 'not-tested';
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
  /** The rule's short description or name, when the scanner gave one: the finding's title. */
  ruleName?: string;
  /** A reviewer declined the pull request carrying this finding's fix: it is not proposed again. */
  fixDeclined?: { pullRequestId: number; at: string };
  /** The person's dismissal in force: who (an account id), when and why. */
  dismissal?: { verdict: Verdict; reason: string; by: string; at: string };
}

/** The scan's dry run of the codemods on one finding, as the pages show it. */
export type FixOutcomeView =
  | { kind: 'fixed'; codemodId: string; title: string; description: string }
  /** Each codemod offered was tried, in order; `matched`: its detector found its shape at the finding. */
  | { kind: 'not-fixed'; reason: string; tried: { codemodId: string; title: string; reason: string; matched: boolean }[] }
  /** No codemod was tried: none handles its rules, the fix is turned off, or its file was not read. */
  | { kind: 'not-tried'; reason: string };

/** A finding's fix outcome as the pages show it (the scan's dry run): the same as `FixOutcomeView`. */
export type FixOutcome = FixOutcomeView;

/** One decision in a finding's history. `by` is an account id, or `pull-request-review` for a declined fix. */
export interface DecisionEvent {
  action: 'dismissed' | 'dismissal-undone' | 'fix-declined';
  by: string;
  at: string;
  reason?: string;
  verdict?: Verdict;
  pullRequestId?: number;
}

/** The fix a pull request would carry, made now without writing anything, or why there is none. */
export type FixPreview =
  | { kind: 'diff'; codemodId: string; title: string; description: string; diff: string }
  | { kind: 'none'; reason: string };

export interface FindingFilter {
  verdict?: Verdict;
  severity?: Severity;
  status?: FindingStatus;
  /** Case-insensitive substring of a tool name. */
  tool?: string;
  /** Path prefix or substring, case-insensitive. */
  path?: string;
  /** One rule id, exactly (a group of the "by rule" view). */
  rule?: string;
  /** Free text, case-insensitive, over the path, the rule id and name, and the message. */
  q?: string;
}

/** A group of the filtered findings: a rule (key = rule id, label = its name) or a file (key = path). */
export interface FindingGroup {
  key: string;
  label?: string;
  count: number;
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
  /** With `groupBy`: the filtered findings per rule or per file, most first (at most 200 groups). */
  groups?: FindingGroup[];
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
  /** Decisions on the finding, oldest first. */
  history?: DecisionEvent[];
  /** Display names of the accounts in `dismissal` and `history`, when Bitbucket gave them (members of the workspace). */
  people?: Record<string, string>;
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
  listFindings: {
    payload: { filter?: FindingFilter; cursor?: string; sort?: FindingSort; limit?: number; offset?: number; groupBy?: 'rule' | 'file' };
    result: FindingPage;
  };
  getFinding: { payload: { id: string }; result: FindingDetail };
  previewFix: { payload: { id: string }; result: FixPreview };
  listPullRequests: { payload: Record<string, never>; result: { items: PullRequestItem[] } };
  listScans: { payload: Record<string, never>; result: { items: ScanItem[] } };
  /** The findings by id, or (a selection across pages) every open, fixable finding the filter matches, 100 at a time. */
  createPullRequest: { payload: { findingIds: string[]; filter?: never } | { filter: FindingFilter; findingIds?: never }; result: CreatePullRequestResult };
  dismissFinding: { payload: { id: string; verdict: Verdict; reason: string }; result: FindingItem };
  /** One reason for many: the ids given, or every finding the filter matches (at most 5,000); already dismissed ones are skipped. */
  dismissFindings: {
    payload: { ids?: string[]; filter?: FindingFilter; verdict: Verdict; reason: string };
    result: { dismissed: number; skipped: number; more: boolean };
  };
  undoDismissal: { payload: { id: string }; result: FindingItem };
}

export type ResolverKey = keyof ResolverMap;
