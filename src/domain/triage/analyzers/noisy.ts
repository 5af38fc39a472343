import type { TriageFactor } from '../../finding';
import type { AnalyzerInput } from './types';

/**
 * Rules whose findings are mostly noise. Each entry says why, so the factor a reviewer reads is
 * the reason rather than just a rule name. They give `suspicious` unless a defuser (false
 * positive) or a path/policy analyzer (won't fix) decided first.
 */
const noisyRules: { pattern: RegExp; why: string }[] = [
  { pattern: /detect-object-injection/, why: 'it flags every bracket access with a variable key' },
  { pattern: /detect-non-literal-fs-filename/, why: 'it flags every file-system call whose path is not a literal' },
  { pattern: /detect-possible-timing-attacks/, why: 'it flags any comparison with a name like "password"' },
  { pattern: /detect-non-literal-regexp|detect-unsafe-regex/, why: 'most flagged patterns are not user-controlled' },
  // CodeQL's ML-powered ("boosted") queries are experimental and ship without a precision.
  { pattern: /^js\/ml-powered\//, why: 'it is an experimental machine-learned query without a stated precision' },
  // Checkmarx "Heap Inspection" flags every String holding a password; that is ordinary Java practice.
  { pattern: /^heap inspection$/i, why: 'it flags every String that holds a password, which is ordinary Java practice' },
];

export function noisyRule({ finding }: AnalyzerInput): TriageFactor | undefined {
  const hit = noisyRules.find((rule) => rule.pattern.test(finding.ruleId) || rule.pattern.test(finding.ruleName ?? ''));
  return hit ? { id: 'noisy-rule', weight: -20, detail: `${finding.ruleId} is known to report many false alarms: ${hit.why}.` } : undefined;
}
