import type { DecisiveAnalyzer } from './types';

/**
 * Maintainability rules (unused variables, syntax errors, semicolons) are not security findings.
 * Only rules that carry no CWE and no security-severity are treated so: a scanner that tags a
 * rule with either is claiming a security impact, and then the rule is judged like any other.
 */
const qualityRules = /(^|\/)(unused-local-variable|unused-variable|syntax-error|automatic-semicolon-insertion|useless-assignment-to-local|unreachable-statement|trivial-conditional|loop-iteration-skipped-due-to-shifting|redundant-assignment|dead-code|no-unused-vars)$/;

/**
 * Dockerfile build-hygiene checks (KICS names). Checkmarx gives them a security-severity of up to
 * 8.5, but none of them is a vulnerability: they are about image size, caching and reproducibility.
 */
const hygieneRules = /^(healthcheck instruction missing|apt.get install lists were not deleted|apt-get not avoiding additional packages|multiple run, add, copy, instructions listed|run instruction using 'cd' instead of workdir|not using json in cmd and entrypoint arguments|apt-get missing '-y' to avoid manual input|update instruction alone)$/i;

export const qualityRule: DecisiveAnalyzer = ({ finding, where }) => {
  if (finding.ruleName && hygieneRules.test(finding.ruleName)) {
    return {
      verdict: 'wont_fix',
      category: 'not_security',
      base: 85,
      factor: { id: 'hygiene-rule', weight: 0, detail: `"${finding.ruleName}" is a Dockerfile build-hygiene check, not a vulnerability.` },
      justification: `"${finding.ruleName}" at ${where} is about image size or reproducibility, not security; it is out of scope for security fixes.`,
    };
  }
  if (!qualityRules.test(finding.ruleId) || finding.cwes.length > 0 || finding.securitySeverity !== undefined) return undefined;
  return {
    verdict: 'wont_fix',
    category: 'not_security',
    base: 88,
    factor: { id: 'quality-rule', weight: 0, detail: `${finding.ruleId} is a maintainability rule with no CWE or security-severity.` },
    justification: `${finding.ruleId} at ${where} is a code-quality finding, not a security vulnerability; it is out of scope for security fixes.`,
  };
};
