/**
 * Severity of a result. Precedence (first that applies wins):
 *   1. `security-severity` (result `properties`, then rule `properties`) when it is a number
 *      in (0, 10]: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low. It is a CVSS-like score and
 *      more precise than a level (Checkmarx reports 6.5-scored findings as `note`; GitHub also
 *      ranks security alerts by it). 0 or an unparsable value does not count.
 *   2. result `level`, 3. rule `defaultConfiguration.level`, 4. CodeQL's rule property
 *      `problem.severity` (error / warning / recommendation):
 *      error → high, warning → medium, note/recommendation → low, none → info.
 *   5. a result whose `kind` is not `fail` (informational, review, open) → info (SARIF: its level defaults to none).
 *   6. otherwise SARIF's default level `warning` → medium.
 */
import type { Severity } from '../finding';
import { severities } from '../finding';

/** `security-severity` as a number in [0, 10], from a number or a numeric string. */
export function parseSecuritySeverity(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 10 ? n : undefined;
}

export function severityFromScore(score: number): Severity | undefined {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return undefined;
}

const LEVELS: Readonly<Record<string, Severity>> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  recommendation: 'low',
  none: 'info',
};

/** The levels as scanners write them, looked up before trimming and lower-casing a copy. */
const EXACT_LEVELS: ReadonlyMap<string, Severity> = new Map(Object.entries(LEVELS));

export function severityFromLevel(level: string | null | undefined): Severity | undefined {
  return level ? (EXACT_LEVELS.get(level) ?? LEVELS[level.trim().toLowerCase()]) : undefined;
}

/** The precedence above, from its inputs one by one (the normaliser's loop over every result builds no inputs object). */
export function severityOf(
  securitySeverity: number | undefined,
  resultLevel: string | null | undefined,
  ruleLevel: string | null | undefined,
  problemSeverity: unknown,
  kind: string | null | undefined,
): Severity {
  const fromScore = securitySeverity === undefined ? undefined : severityFromScore(securitySeverity);
  return (
    fromScore ??
    severityFromLevel(resultLevel) ??
    severityFromLevel(ruleLevel) ??
    (typeof problemSeverity === 'string' ? severityFromLevel(problemSeverity) : undefined) ??
    (kind && kind !== 'fail' ? 'info' : 'medium')
  );
}

/** The more severe of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return severities.indexOf(a) <= severities.indexOf(b) ? a : b;
}
