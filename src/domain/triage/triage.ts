import type { NormalisedFinding, TriageFactor, TriageResult, Verdict } from '../finding';
import { classifyPath } from './path-kinds';

/** What the triage step knows beyond the finding itself. */
export interface TriageContext {
  /** A codemod in the catalogue answers this finding's rule. */
  fixAvailable: boolean;
  /** Source lines around the finding when they were read (else the SARIF snippet is used). */
  code?: string;
}

/** Code patterns that defuse a rule at the reported place. */
const defusers: { pattern: RegExp; detail: string }[] = [
  { pattern: /usedforsecurity\s*=\s*False/, detail: 'the hash is created with usedforsecurity=False, so it is not used for security' },
  { pattern: /Loader\s*=\s*(yaml\.)?C?SafeLoader/, detail: 'YAML is loaded with SafeLoader, which cannot build arbitrary objects' },
  { pattern: /#\s*nosec\b|NOSONAR|eslint-disable-next-line\s+security/, detail: 'the line carries a reviewed suppression comment' },
];

/** Rules whose findings are mostly noise unless other evidence says otherwise. */
const noisyRules = [/detect-object-injection/, /detect-non-literal-fs-filename/, /detect-possible-timing-attacks/];

const precisionPoints: Record<string, number> = { 'very-high': 30, high: 22, medium: 12, low: 0 };

const clamp = (value: number): number => Math.max(0, Math.min(100, Math.round(value)));

function decide(verdict: Verdict, factors: TriageFactor[], base: number, justification: string): TriageResult {
  const confidence = clamp(base + factors.reduce((sum, factor) => sum + factor.weight, 0));
  return { verdict, confidence, justification, factors };
}

/**
 * A deterministic verdict with a justification naming its evidence and a confidence built from
 * listed factors. Pure: the same finding and context always give the same answer.
 */
export function triageFinding(finding: NormalisedFinding, context: TriageContext): TriageResult {
  const where = finding.location ? `${finding.location.path}:${finding.location.startLine}` : 'a location outside the source tree';
  const tools = finding.tools.map((tool) => tool.name).join(' and ');

  if (finding.suppression) {
    const why = finding.suppression.justification ? `: "${finding.suppression.justification}"` : '';
    return decide('wont_fix', [{ id: 'suppressed', weight: 0, detail: `Suppressed in the scanner (${finding.suppression.kind})${why}.` }], 95,
      `${tools} reports this at ${where}, but it was suppressed in the source or scanner configuration${why}.`);
  }

  const pathKind = finding.location ? classifyPath(finding.location.path) : { kind: 'source' as const };
  if (pathKind.kind !== 'source') {
    return decide('wont_fix', [{ id: `path-${pathKind.kind}`, weight: 0, detail: `${finding.location?.path} is ${pathKind.reason}.` }], 85,
      `${where} is ${pathKind.reason}, which does not ship to production; fixing it is not worth a pull request.`);
  }

  const code = context.code ?? finding.snippet ?? '';
  const defuser = defusers.find((candidate) => candidate.pattern.test(code));
  if (defuser) {
    return decide('false_positive', [{ id: 'defused', weight: 0, detail: `At ${where} ${defuser.detail}.` }], 92,
      `Not exploitable as reported: at ${where} ${defuser.detail}.`);
  }

  const factors: TriageFactor[] = [];
  const precision = finding.precision?.toLowerCase();
  if (precision && precision in precisionPoints) {
    factors.push({ id: 'precision', weight: precisionPoints[precision] ?? 0, detail: `The rule's precision is ${precision}.` });
  }
  if (finding.securitySeverity !== undefined && finding.securitySeverity >= 7) {
    factors.push({ id: 'security-severity', weight: 10, detail: `The rule's security-severity is ${finding.securitySeverity}.` });
  }
  if (finding.tools.length > 1) {
    factors.push({ id: 'agreement', weight: 15, detail: `${finding.tools.length} scanners report it (${tools}).` });
  }
  if (context.fixAvailable) {
    factors.push({ id: 'fix-available', weight: 10, detail: 'A deterministic fix for this rule exists in the catalogue.' });
  }
  if (noisyRules.some((rule) => rule.test(finding.ruleId))) {
    factors.push({ id: 'noisy-rule', weight: -20, detail: `${finding.ruleId} is known to report many false alarms.` });
    return decide('suspicious', factors, 55,
      `${tools} reports ${finding.ruleId} at ${where}; this rule is noisy and nothing in the code confirms or rules it out.`);
  }
  const snippetNote = finding.snippet ? ` The flagged code is \`${finding.snippet.trim().split('\n')[0]?.slice(0, 120)}\`.` : '';
  return decide('true_positive', factors, 50,
    `${tools} reports ${finding.ruleId} at ${where} and no test, vendored or defusing evidence applies.${snippetNote}`);
}
