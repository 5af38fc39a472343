import { invoke } from '@forge/bridge';
import type { FindingCounts, FindingItem, FindingPage, PullRequestItem, ResolverMap, ScanItem } from '../contracts/resolver-api';

/** The slices of the resolver results (src/contracts/resolver-api.ts) the sidebar card shows. */
export type CardCounts = FindingCounts;
export type CardPullRequest = Pick<PullRequestItem, 'id' | 'title' | 'url' | 'state'>;
export type CardScan = Pick<ScanItem, 'id' | 'status' | 'commit' | 'createdAt' | 'error'>;
export type CardFinding = Pick<FindingItem, 'id' | 'ruleId' | 'path' | 'line' | 'severity' | 'confidence'>;

/** How many of the most severe open true positives the card names. */
export const CARD_TOP_FINDINGS = 3;

export interface CardSummary {
  total: number;
  open: number;
  truePositives: number;
  /** Open true positives by severity (non-zero ones, most severe first). */
  bySeverity: { severity: string; count: number }[];
  /** The most severe open true positives, by rule and place (at most CARD_TOP_FINDINGS). */
  topFindings: CardFinding[];
  openPullRequests: CardPullRequest[];
  lastScan?: CardScan;
}

export class CardLoadError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CardLoadError';
    this.code = code;
  }
}

const severityOrder = ['critical', 'high', 'medium', 'low', 'info'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unwrap<T>(key: string, envelope: unknown): T {
  if (isRecord(envelope) && envelope.ok === true && 'data' in envelope) return envelope.data as T;
  if (isRecord(envelope) && envelope.ok === false && isRecord(envelope.error)) {
    const { code, message } = envelope.error;
    throw new CardLoadError(typeof code === 'string' ? code : 'unknown', typeof message === 'string' ? message : `${key} failed.`);
  }
  throw new CardLoadError('bad_response', `The app gave an answer to ${key} that the card does not understand.`);
}

export function summarise(
  counts: CardCounts,
  pullRequests: CardPullRequest[],
  scans: CardScan[],
  /** Counts of the open true positives only; older resolvers without them fall back to all findings. */
  openCounts?: CardCounts,
  topFindings: CardFinding[] = [],
): CardSummary {
  const bySeverity = severityOrder
    .map((severity) => ({ severity, count: (openCounts ?? counts).bySeverity[severity] ?? 0 }))
    .filter((entry) => entry.count > 0);
  const latest = [...scans].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return {
    total: counts.total,
    open: counts.byStatus.open ?? 0,
    truePositives: counts.byVerdict.true_positive ?? 0,
    bySeverity,
    topFindings: topFindings.slice(0, CARD_TOP_FINDINGS),
    openPullRequests: pullRequests.filter((pr) => pr.state.toUpperCase() === 'OPEN'),
    ...(latest ? { lastScan: latest } : {}),
  };
}

/**
 * Asks the three resolvers at once; any refusal becomes a CardLoadError with the resolver's message.
 * One findings page gives both the open true positives' counts and the most severe of them.
 */
export async function loadCardSummary(): Promise<CardSummary> {
  const openOnly: ResolverMap['listFindings']['payload'] = { filter: { status: 'open', verdict: 'true_positive' }, sort: 'severity', limit: CARD_TOP_FINDINGS };
  const [findings, pullRequests, scans] = await Promise.all([
    invoke('listFindings', openOnly),
    invoke('listPullRequests', {}),
    invoke('listScans', {}),
  ]);
  const page = unwrap<Pick<FindingPage, 'counts' | 'filteredCounts' | 'items'>>('listFindings', findings);
  return summarise(
    page.counts,
    unwrap<ResolverMap['listPullRequests']['result']>('listPullRequests', pullRequests).items,
    unwrap<ResolverMap['listScans']['result']>('listScans', scans).items,
    page.filteredCounts,
    page.items ?? [],
  );
}

export const shortSha = (commit: string): string => commit.slice(0, 7);

/** `js/sql-injection · routes/users.js:20`: the rule and where it is, as the card names a finding. */
export const findingPlace = (finding: CardFinding): string =>
  `${finding.ruleId} · ${finding.path ?? '(no file)'}${finding.path && finding.line ? `:${finding.line}` : ''}`;

/** "3 minutes ago"; a date for anything older than a week. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const seconds = Math.floor((now.getTime() - then.getTime()) / 1000);
  const ago = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return ago(Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return ago(Math.floor(seconds / 3600), 'hour');
  if (seconds < 7 * 86400) return ago(Math.floor(seconds / 86400), 'day');
  return then.toISOString().slice(0, 10);
}
