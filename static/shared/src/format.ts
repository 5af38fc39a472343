import type { FindingStatus, NoiseCategory, Severity, Verdict } from './api-types';

/** The Atlassian Design System lozenge appearances. */
export type Appearance = 'default' | 'success' | 'removed' | 'inprogress' | 'new' | 'moved';

export const verdictLabel: Record<Verdict, string> = {
  true_positive: 'True positive',
  false_positive: 'False positive',
  wont_fix: "Won't fix",
  suspicious: 'Suspicious',
};

/** Why a false positive or won't fix was set aside (the words Code Insights and pull requests use too). */
export const categoryLabel: Record<NoiseCategory, string> = {
  test_code: 'test code',
  non_production: 'not production code',
  suppressed_in_code: 'suppressed in the code',
  not_security: 'no security impact here',
  defused: 'input made safe',
  policy: 'project policy',
};

export const statusLabel: Record<FindingStatus, string> = {
  open: 'Open',
  fix_proposed: 'Fix proposed',
  fixed: 'Fixed',
  dismissed: 'Dismissed',
  suppressed: 'Suppressed',
};

export const severityLabel: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export const severityAppearance: Record<Severity, Appearance> = {
  critical: 'removed',
  high: 'removed',
  medium: 'moved',
  low: 'inprogress',
  info: 'default',
};

export const verdictAppearance: Record<Verdict, Appearance> = {
  true_positive: 'removed',
  suspicious: 'moved',
  false_positive: 'success',
  wont_fix: 'default',
};

export const statusAppearance: Record<FindingStatus, Appearance> = {
  open: 'inprogress',
  fix_proposed: 'new',
  fixed: 'success',
  dismissed: 'default',
  suppressed: 'default',
};

/** Pull request states (Bitbucket) and scan states share one lookup; unknown ones stay grey. */
export function stateAppearance(state: string): Appearance {
  switch (state.toLowerCase()) {
    case 'open':
    case 'processing':
      return 'inprogress';
    case 'merged':
    case 'done':
      return 'success';
    case 'declined':
    case 'failed':
      return 'removed';
    default:
      return 'default';
  }
}

export const shortSha = (commit: string): string => commit.slice(0, 7);

export const location = (path?: string, line?: number): string =>
  path === undefined ? '—' : line === undefined ? path : `${path}:${line}`;

/** "3 minutes ago", falling back to a date for anything older than a week. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const seconds = Math.floor((now.getTime() - then.getTime()) / 1000);
  const ago = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return ago(Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return ago(Math.floor(seconds / 3600), 'hour');
  if (seconds < 7 * 86400) return ago(Math.floor(seconds / 86400), 'day');
  return then.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}
