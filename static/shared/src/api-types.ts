/**
 * What the resolvers return to the pages (ARCHITECTURE.md §4.3). Kept here, not imported from
 * src/, so the browser bundles never pull in backend modules.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const severities: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export type Verdict = 'true_positive' | 'false_positive' | 'wont_fix' | 'suspicious';
export const verdicts: readonly Verdict[] = ['true_positive', 'false_positive', 'wont_fix', 'suspicious'];

export type FindingStatus = 'open' | 'fix_proposed' | 'fixed' | 'dismissed' | 'suppressed';
export const findingStatuses: readonly FindingStatus[] = ['open', 'fix_proposed', 'fixed', 'dismissed', 'suppressed'];

export type Grouping = 'per-codemod' | 'per-file' | 'per-finding';
export const groupings: readonly Grouping[] = ['per-codemod', 'per-file', 'per-finding'];

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
  codeInsights: boolean;
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
  policy?: Policy;
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

export interface PullRequestLink {
  id: number;
  url: string;
  state: string;
}

export interface FindingItem {
  id: string;
  ruleId: string;
  tools: string[];
  path?: string;
  line?: number;
  severity: Severity;
  verdict: Verdict;
  confidence: number;
  justification: string;
  status: FindingStatus;
  message: string;
  fix?: { codemodId: string; title: string };
  /** A fix exists or the catalogue has one for this rule and file (older answers lack it). */
  fixAvailable?: boolean;
  pullRequest?: PullRequestLink;
}

export interface FindingFilter {
  verdict?: Verdict;
  severity?: Severity;
  status?: FindingStatus;
  tool?: string;
  path?: string;
}

export interface FindingCounts {
  total: number;
  byVerdict: Record<string, number>;
  bySeverity: Record<string, number>;
  byStatus: Record<string, number>;
}

export type FindingSort = 'severity' | 'confidence' | 'path' | 'newest';
export const findingSorts: readonly FindingSort[] = ['severity', 'confidence', 'path', 'newest'];

export interface FindingPage {
  items: FindingItem[];
  nextCursor?: string;
  /** Repository-wide. */
  counts: FindingCounts;
  /** Only the findings the filter matches (the same as `counts` without a filter). */
  filteredCounts?: FindingCounts;
}

export interface FindingDetail extends Omit<FindingItem, 'fix'> {
  factors: { id: string; weight: number; detail: string }[];
  snippet?: string;
  cwes: string[];
  commit: string;
  /** The file at the scanned commit on Bitbucket, when the finding has a location. */
  fileUrl?: string;
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
  counts: { results: number; findings: number; merged: number; skipped: number };
  /** The first 50 SARIF results the scan could not use, with why. */
  skipped?: { index: number; reason: string }[];
  pullRequests?: { id: number; url: string }[];
  createdAt: string;
  error?: string;
}

/** Every resolver the pages call: payload in, `data` out. */
export interface ResolverMap {
  getSettings: { payload: Record<string, never>; result: Settings };
  saveSettings: { payload: SaveSettingsPayload; result: Settings };
  testConnection: { payload: { repository?: string }; result: ConnectionResult };
  rotateUploadToken: { payload: Record<string, never>; result: { token: string } };
  revokeUploadToken: { payload: Record<string, never>; result: { revoked: boolean } };
  listFindings: { payload: { filter?: FindingFilter; cursor?: string; sort?: FindingSort; limit?: number }; result: FindingPage };
  getFinding: { payload: { id: string }; result: FindingDetail };
  listPullRequests: { payload: Record<string, never>; result: { items: PullRequestItem[] } };
  listScans: { payload: Record<string, never>; result: { items: ScanItem[] } };
  createPullRequest: { payload: { findingIds: string[] }; result: { pullRequests: { id: number; url: string }[] } };
  dismissFinding: { payload: { id: string; verdict: Verdict; reason: string }; result: FindingItem };
  undoDismissal: { payload: { id: string }; result: FindingItem };
}

export type ResolverKey = keyof ResolverMap;
