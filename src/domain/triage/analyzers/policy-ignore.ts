import { normaliseCwe } from '../../codemods/rule-ids';
import type { DecisiveAnalyzer } from './types';

/**
 * The workspace told us not to care about a rule or a CWE. Won't-fix (not false positive): the
 * finding may be real, the team has accepted it. It never reaches selectFixable as a true positive.
 */
export const policyIgnore: DecisiveAnalyzer = ({ finding, where, ignoreRules, ignoreCwes }) => {
  const rule = ignoreRules.find((id) => id === finding.ruleId);
  const wanted = new Set(ignoreCwes.map(normaliseCwe));
  const cwe = finding.cwes.map(normaliseCwe).find((c) => c !== undefined && wanted.has(c));
  const what = rule !== undefined ? `rule ${rule}` : cwe !== undefined ? `${cwe}` : undefined;
  if (what === undefined) return undefined;
  return {
    verdict: 'wont_fix',
    category: 'policy',
    base: 100,
    factor: { id: 'policy-ignore', weight: 0, detail: `The workspace policy ignores ${what}.` },
    justification: `ignored by workspace policy (${what}); reported at ${where}.`,
  };
};
